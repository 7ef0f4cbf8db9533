// The floor for any Swift wrapper of a command: start the runtime, then execve the child, with no work at all.
// Built like cloak (see bench/NOTES.md for the command) and timed against a bare /bin/true.
import Glibc

let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
execve("/bin/true", argv, environ)
exit(127)
