variable "name" { type = string }
variable "replicas" { type = number }
variable "image" { type = string }
output "replicas" { value = var.replicas }
