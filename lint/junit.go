package lint

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/contractlint/contractlint/validate"
)

// cleanCase names the one passing test case of a file without findings.
const cleanCase = "no findings"

// JUnit writes the report as JUnit XML for CI systems that show test results.
// Every file is a <testsuite> named by its path: each file the run read, and
// each file only a finding names. Each finding is a <testcase> named
// "CODE line:col pointer" (no pointer when it is empty) with the file as
// classname, and its outcome is
//
//   - <error> for input findings (the file, or an entry of it, could not be
//     read, so nothing was tested),
//   - <failure> for other error and warning findings,
//   - <skipped> for info findings (a call no contract covers, say).
//
// A file that could not be read but has no input finding gets an
// "INPUT_ERROR 1:1" case with the error, and a file without findings one
// passing case named "no findings". The counts of every suite and of the
// <testsuites> root add up.
func JUnit(w io.Writer, r *Report) error {
	n, err := normalize(r)
	if err != nil {
		return err
	}
	byFile := make(map[string][]*FileFinding)
	for i := range n.Findings {
		f := &n.Findings[i]
		byFile[f.File] = append(byFile[f.File], f)
	}
	fileErr := make(map[string]string)
	for _, fs := range n.Summary.PerFile {
		if fs.Error != "" {
			fileErr[fs.Path] = fs.Error
		}
	}

	root := junitTestSuites{Name: toolName, Suites: []junitTestSuite{}}
	for _, file := range reportFiles(&n) {
		suite := junitTestSuite{Name: file}
		hasInput := false
		for _, f := range byFile[file] {
			tc := junitCase(f)
			hasInput = hasInput || tc.Error != nil
			suite.add(tc)
		}
		if msg, ok := fileErr[file]; ok && !hasInput {
			suite.add(junitTestCase{
				Name:      validate.CodeInputError + " 1:1",
				Classname: file,
				Error:     &junitProblem{Type: validate.CodeInputError, Message: msg, Text: msg},
			})
		}
		if len(suite.Cases) == 0 {
			suite.add(junitTestCase{Name: cleanCase, Classname: file})
		}
		root.Tests += suite.Tests
		root.Failures += suite.Failures
		root.Errors += suite.Errors
		root.Skipped += suite.Skipped
		root.Suites = append(root.Suites, suite)
	}

	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(&root); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

// junitCase renders one finding as a test case.
func junitCase(f *FileFinding) junitTestCase {
	name := fmt.Sprintf("%s %d:%d", f.Code, f.Line, f.Column)
	if f.Pointer != "" {
		name += " " + f.Pointer
	}
	tc := junitTestCase{Name: name, Classname: f.File}
	problem := &junitProblem{Type: f.Code, Message: f.Message, Text: junitDetail(f)}
	switch rule, _ := validate.LookupRule(f.Code); {
	case rule.Group == "input":
		tc.Error = problem
	case f.Severity == validate.Info:
		tc.Skipped = &junitSkipped{Message: f.Message}
	default:
		tc.Failure = problem
	}
	return tc
}

// junitDetail is the body of a failure or error: the message, then where
// the finding is and what it was checked against, one fact a line.
func junitDetail(f *FileFinding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n%s:%d:%d: %s %s", f.Message, f.File, f.Line, f.Column, f.Severity, f.Code)
	line := func(label, value string) {
		if value != "" {
			fmt.Fprintf(&b, "\n%s: %s", label, value)
		}
	}
	if f.Exchange > 0 {
		line("exchange", fmt.Sprint(f.Exchange))
	}
	line("operation", f.OperationID)
	line("api-version", f.APIVersion)
	line("in", strings.TrimSpace(f.Direction.String()+" "+f.Part.String()))
	line("name", f.Name)
	line("pointer", f.Pointer)
	line("spec", f.SpecRef)
	return b.String()
}

// add appends a test case and counts its outcome.
func (s *junitTestSuite) add(tc junitTestCase) {
	s.Cases = append(s.Cases, tc)
	s.Tests++
	switch {
	case tc.Error != nil:
		s.Errors++
	case tc.Failure != nil:
		s.Failures++
	case tc.Skipped != nil:
		s.Skipped++
	}
}

// The JUnit XML elements contractlint writes, in the common schema read by
// Jenkins, GitLab, Azure Pipelines and the test-reporting actions.
type (
	junitTestSuites struct {
		XMLName  xml.Name         `xml:"testsuites"`
		Name     string           `xml:"name,attr"`
		Tests    int              `xml:"tests,attr"`
		Failures int              `xml:"failures,attr"`
		Errors   int              `xml:"errors,attr"`
		Skipped  int              `xml:"skipped,attr"`
		Suites   []junitTestSuite `xml:"testsuite"`
	}
	junitTestSuite struct {
		Name     string          `xml:"name,attr"`
		Tests    int             `xml:"tests,attr"`
		Failures int             `xml:"failures,attr"`
		Errors   int             `xml:"errors,attr"`
		Skipped  int             `xml:"skipped,attr"`
		Cases    []junitTestCase `xml:"testcase"`
	}
	junitTestCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		Error     *junitProblem `xml:"error,omitempty"`
		Failure   *junitProblem `xml:"failure,omitempty"`
		Skipped   *junitSkipped `xml:"skipped,omitempty"`
	}
	junitProblem struct {
		Type    string `xml:"type,attr"`
		Message string `xml:"message,attr"`
		Text    string `xml:",chardata"`
	}
	junitSkipped struct {
		Message string `xml:"message,attr"`
	}
)
