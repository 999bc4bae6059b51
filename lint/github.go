package lint

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/contractlint/contractlint/validate"
)

// GitHub writes the report as GitHub Actions workflow commands, so that each
// finding shows as an annotation on the file in a pull request:
//
//	::error file=F,line=L,col=C,title=CODE::message (operationId api-version)
//
// Warnings use ::warning and info findings ::notice; the parenthesis is as in
// Text. Values are escaped as the runner expects: "%", "\r" and "\n" as %25,
// %0D and %0A, and in the properties also ":" and "," as %3A and %2C. After
// the commands comes the summary line of Text as plain log output (it starts
// with a digit, so the runner never reads it as a command).
func GitHub(w io.Writer, r *Report) error {
	n, err := normalize(r)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	for i := range n.Findings {
		f := &n.Findings[i]
		msg := f.Message
		if op := operationLabel(f); op != "" {
			msg += " (" + op + ")"
		}
		fmt.Fprintf(bw, "::%s file=%s,line=%d,col=%d,title=%s::%s\n",
			githubCommand(f.Severity), githubProperty(f.File), f.Line, f.Column, githubProperty(f.Code), githubData(msg))
	}
	bw.WriteString(summaryLine(&n.Summary))
	bw.WriteByte('\n')
	return bw.Flush()
}

// githubCommand is the workflow command that annotates at a severity.
func githubCommand(s validate.Severity) string {
	switch s {
	case validate.Error:
		return "error"
	case validate.Warning:
		return "warning"
	}
	return "notice"
}

// githubData escapes the message part of a workflow command.
var githubData = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace

// githubProperty escapes a property value of a workflow command.
var githubProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace
