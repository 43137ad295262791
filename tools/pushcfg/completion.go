package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// runCompletion is `pushcfg completion bash|zsh`: it prints a script that
// completes the commands, each command's flags (from flagCommands, so it
// cannot fall behind) and file names.
//
//	source <(pushcfg completion bash)      # bash, e.g. in ~/.bashrc
//	pushcfg completion zsh > "${fpath[1]}/_pushcfg"   # zsh
func runCompletion(o *options, stdout, _ io.Writer) int {
	if o.args[0] == "zsh" {
		fmt.Fprint(stdout, zshCompletion())
	} else {
		fmt.Fprint(stdout, bashCompletion())
	}
	return exitOK
}

// commandFlags lists the flags of cmd, "--name" each, sorted.
func commandFlags(cmd string) []string {
	var out []string
	for name, cmds := range flagCommands {
		if slices.Contains(cmds, cmd) {
			dash := "--"
			if len(name) == 1 {
				dash = "-"
			}
			out = append(out, dash+name)
		}
	}
	slices.Sort(out)
	return out
}

// flagTakesValue lists the flags followed by a value, and what kind of
// value: a file, or a word the shell cannot guess.
var flagTakesValue = map[string]string{
	"--default": "word", "--class": "word", "--ports": "word", "--host": "host",
	"--timeout": "word", "--for": "word", "--secret-file": "file",
	"--hosts-file": "file", "--dns": "host", "--parallel": "word",
}

func bashCompletion() string {
	var b strings.Builder
	b.WriteString(`# bash completion for pushcfg: source <(pushcfg completion bash)
_pushcfg() {
    local cur prev cmd i
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev="${COMP_WORDS[COMP_CWORD-1]}"
    cmd=push
    for ((i = 1; i < COMP_CWORD; i++)); do
        case "${COMP_WORDS[i]}" in
`)
	fmt.Fprintf(&b, "            %s) cmd=\"${COMP_WORDS[i]}\"; break ;;\n", strings.Join(commands, "|"))
	b.WriteString(`        esac
    done
    case "$prev" in
`)
	var files, hosts, words []string
	for f, kind := range flagTakesValue {
		switch kind {
		case "file":
			files = append(files, f)
		case "host":
			hosts = append(hosts, f)
		default:
			words = append(words, f)
		}
	}
	slices.Sort(files)
	slices.Sort(hosts)
	slices.Sort(words)
	fmt.Fprintf(&b, "        %s) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n", strings.Join(files, "|"))
	fmt.Fprintf(&b, "        %s) COMPREPLY=($(compgen -A hostname -- \"$cur\")); return ;;\n", strings.Join(hosts, "|"))
	fmt.Fprintf(&b, "        %s) return ;;\n", strings.Join(words, "|"))
	b.WriteString(`    esac
    if [[ "$cur" == -* ]]; then
        case "$cmd" in
`)
	for _, c := range append([]string{cmdPush}, commands...) {
		fmt.Fprintf(&b, "            %s) COMPREPLY=($(compgen -W %q -- \"$cur\")) ;;\n", c, strings.Join(commandFlags(c), " "))
	}
	b.WriteString(`        esac
        return
    fi
    case "$cmd" in
        completion) COMPREPLY=($(compgen -W "bash zsh" -- "$cur")) ;;
        status|history|version) ;;
        set|loggers) ;;
`)
	fmt.Fprintf(&b, "        push) COMPREPLY=($(compgen -W %q -- \"$cur\") $(compgen -f -- \"$cur\")) ;;\n", strings.Join(commands, " "))
	b.WriteString(`        *) COMPREPLY=($(compgen -f -- "$cur")) ;;
    esac
}
complete -o filenames -F _pushcfg pushcfg
`)
	return b.String()
}

func zshCompletion() string {
	var b strings.Builder
	b.WriteString(`#compdef pushcfg
# zsh completion for pushcfg: pushcfg completion zsh > "${fpath[1]}/_pushcfg"
_pushcfg() {
    local cmd=push i
    for ((i = 2; i < CURRENT; i++)); do
        case "${words[i]}" in
`)
	fmt.Fprintf(&b, "            %s) cmd=\"${words[i]}\"; break ;;\n", strings.Join(commands, "|"))
	b.WriteString(`        esac
    done
    case "${words[CURRENT-1]}" in
        --secret-file|--hosts-file) _files; return ;;
        --host|--dns) _hosts; return ;;
        --default|--class|--ports|--timeout|--for|--parallel) return ;;
    esac
    if [[ "${words[CURRENT]}" == -* ]]; then
        case "$cmd" in
`)
	for _, c := range append([]string{cmdPush}, commands...) {
		fmt.Fprintf(&b, "            %s) compadd -- %s ;;\n", c, strings.Join(commandFlags(c), " "))
	}
	b.WriteString(`        esac
        return
    fi
    case "$cmd" in
        completion) compadd -- bash zsh ;;
        status|history|version|set|loggers) ;;
`)
	fmt.Fprintf(&b, "        push) compadd -- %s; _files ;;\n", strings.Join(commands, " "))
	b.WriteString(`        *) _files ;;
    esac
}
compdef _pushcfg pushcfg
`)
	return b.String()
}
