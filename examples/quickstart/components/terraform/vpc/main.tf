variable "cidr" { type = string }
variable "az_count" { type = number }
variable "tags" { type = map(string) }
variable "region" { type = string }
variable "tenant" { type = string }
variable "stage" { type = string }
output "cidr" { value = var.cidr }
