/// The shell scripts printed by `cloak --generate-completion-script SHELL`. Each one hands the line to
/// `cloak __complete INDEX -- WORDS…` (see `Completer`) and offers what comes back, so that candidates — stacks,
/// components, secrets — always come from the repository at hand; with no candidates the shell completes files.
public enum CompletionScript {
    /// The shells there is a script for.
    public enum Shell: String, ArgumentChoice {
        case bash, zsh, fish
    }

    /// The script for `shell`, completing the command `program`.
    public static func render(_ shell: Shell, program: String) -> String {
        switch shell {
        case .bash:
            return """
                # bash completion for \(program): source this file, or put it in bash-completion's completions directory.
                _\(program)_complete() {
                    local IFS=$'\\n'
                    COMPREPLY=($(command \(program) __complete "$((COMP_CWORD - 1))" -- "${COMP_WORDS[@]:1}" 2>/dev/null))
                }
                complete -o default -F _\(program)_complete \(program)

                """
        case .zsh:
            return """
                #compdef \(program)
                # zsh completion for \(program): put this file on $fpath as _\(program), or source it after compinit.
                _\(program)() {
                    local -a candidates
                    candidates=("${(@f)$(command \(program) __complete "$((CURRENT - 2))" -- "${(@)words[2,-1]}" 2>/dev/null)}")
                    candidates=(${candidates:#})
                    if (( ${#candidates} )); then
                        compadd -a candidates
                    else
                        _files
                    fi
                }
                if [ "$funcstack[1]" = "_\(program)" ]; then
                    _\(program) "$@"
                else
                    compdef _\(program) \(program)
                fi

                """
        case .fish:
            return """
                # fish completion for \(program): put this file in ~/.config/fish/completions/\(program).fish.
                function __\(program)_complete
                    set -l words (commandline -opc)
                    set -e words[1]
                    set -a words (commandline -ct)
                    command \(program) __complete (math (count $words) - 1) -- $words 2>/dev/null
                end
                complete -c \(program) -f -a '(__\(program)_complete)'

                """
        }
    }
}
