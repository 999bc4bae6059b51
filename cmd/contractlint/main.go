// Command contractlint checks HTTP traffic and JSON payloads against Azure
// API contracts, offline: `contractlint lint` over files, `contractlint proxy`
// in front of a service, `contractlint validate` for one call.
package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/contractlint/contractlint/lint"
	"github.com/urfave/cli/v2"
)

// Exit codes, decided here and nowhere else.
const (
	exitClean    = 0 // no finding at or above --fail-severity
	exitFindings = 1 // findings at or above --fail-severity
	exitError    = 2 // usage, I/O or contract error
)

// version may be set at build time with -ldflags "-X main.version=...";
// otherwise it is the module version recorded in the binary.
var version = ""

func main() {
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

// exitStatus carries a command's exit code out of urfave/cli without letting
// it call os.Exit.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// usageError marks an error caused by how the command was invoked.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// run is the whole program: tests call it in-process.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	onUsageError := func(c *cli.Context, err error, _ bool) error {
		return usageError{err}
	}
	cmds := commands()
	for _, cmd := range cmds {
		// Without this, urfave/cli prints "Incorrect Usage" and the
		// command's help to standard output, corrupting JSON or SARIF.
		cmd.OnUsageError = onUsageError
	}
	app := &cli.App{
		Name:                 "contractlint",
		Usage:                "check HTTP traffic and JSON payloads against Azure API contracts, offline",
		Version:              cmp.Or(version, lint.Version()),
		Reader:               stdin,
		Writer:               stdout,
		ErrWriter:            stderr,
		EnableBashCompletion: false,
		HideHelpCommand:      true,
		Commands:             cmds,
		ExitErrHandler:       func(*cli.Context, error) {}, // exit codes are decided below
		OnUsageError:         onUsageError,
	}
	err := app.Run(args)
	var st exitStatus
	switch {
	case err == nil:
		return exitClean
	case errors.As(err, &st):
		return int(st)
	default:
		fmt.Fprintln(stderr, "contractlint:", err)
		return exitError
	}
}

// commands lists the subcommands, each defined in its own file.
func commands() []*cli.Command {
	return []*cli.Command{
		lintCommand(),
		validateCommand(),
		rulesCommand(),
		specsCommand(),
		proxyCommand(),
	}
}
