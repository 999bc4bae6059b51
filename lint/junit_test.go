package lint

import (
	"encoding/xml"
	"testing"

	"github.com/contractlint/contractlint/validate"
)

// junitDoc is a JUnit document read back for the tests.
type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Cases    []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Failure   *struct {
				Type    string `xml:"type,attr"`
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Type    string `xml:"type,attr"`
				Message string `xml:"message,attr"`
			} `xml:"error"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func decodeJUnit(t *testing.T, r *Report) junitDoc {
	t.Helper()
	out := render(t, JUnit, r)
	var doc junitDoc
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("JUnit output does not parse: %v\n%s", err, out)
	}
	return doc
}

func TestJUnitCounts(t *testing.T) {
	for name, r := range map[string]*Report{"full": formatReport(), "empty": {}} {
		t.Run(name, func(t *testing.T) {
			doc := decodeJUnit(t, r)
			var tests, failures, errs, skipped int
			for _, s := range doc.Suites {
				var f, e, sk int
				for _, c := range s.Cases {
					if c.Classname != s.Name {
						t.Errorf("case %q has classname %q in suite %q", c.Name, c.Classname, s.Name)
					}
					switch {
					case c.Error != nil:
						e++
					case c.Failure != nil:
						f++
					case c.Skipped != nil:
						sk++
					}
				}
				if s.Tests != len(s.Cases) || s.Failures != f || s.Errors != e || s.Skipped != sk {
					t.Errorf("suite %q counts tests=%d failures=%d errors=%d skipped=%d, cases say %d %d %d %d",
						s.Name, s.Tests, s.Failures, s.Errors, s.Skipped, len(s.Cases), f, e, sk)
				}
				tests += s.Tests
				failures += s.Failures
				errs += s.Errors
				skipped += s.Skipped
			}
			if doc.Tests != tests || doc.Failures != failures || doc.Errors != errs || doc.Skipped != skipped {
				t.Errorf("root counts %d %d %d %d, suites add up to %d %d %d %d",
					doc.Tests, doc.Failures, doc.Errors, doc.Skipped, tests, failures, errs, skipped)
			}
		})
	}
}

func TestJUnitOutcomes(t *testing.T) {
	doc := decodeJUnit(t, formatReport())
	type outcome struct{ tests, failures, errors, skipped int }
	want := map[string]outcome{
		"testdata/broken.har":                               {1, 0, 1, 0},
		"testdata/clean/certificate.json":                   {1, 0, 0, 0},
		"testdata/examples/Certificate_CreateOrUpdate.json": {1, 1, 0, 0},
		"testdata/missing.json":                             {1, 0, 1, 0},
		"testdata/payloads/zertifikat größe.json":           {1, 1, 0, 0},
		"testdata/traffic/dps.har":                          {4, 3, 0, 1},
		"testdata/truncated.ndjson":                         {1, 0, 1, 0},
	}
	if len(doc.Suites) != len(want) {
		t.Errorf("%d suites, want %d", len(doc.Suites), len(want))
	}
	for _, s := range doc.Suites {
		if got := (outcome{s.Tests, s.Failures, s.Errors, s.Skipped}); got != want[s.Name] {
			t.Errorf("suite %q: %+v, want %+v", s.Name, got, want[s.Name])
		}
	}
	if doc.Tests != 10 || doc.Failures != 5 || doc.Errors != 3 || doc.Skipped != 1 {
		t.Errorf("root: tests=%d failures=%d errors=%d skipped=%d", doc.Tests, doc.Failures, doc.Errors, doc.Skipped)
	}
}

func TestJUnitEscaping(t *testing.T) {
	msg := hostileMessage + "\x00 \x1b]0;title\x07 ]]> </failure>"
	r := &Report{Findings: []FileFinding{{
		Finding: validate.Finding{Code: validate.CodePattern, Severity: validate.Error, Pointer: "/a<b>/&c", Message: msg},
		File:    "dir/ä & <b>.json", Line: 2, Column: 3,
	}}}
	doc := decodeJUnit(t, r)
	c := doc.Suites[0].Cases[0]
	if doc.Suites[0].Name != "dir/ä & <b>.json" || c.Name != "PATTERN 2:3 /a<b>/&c" {
		t.Errorf("suite %q case %q", doc.Suites[0].Name, c.Name)
	}
	// XML cannot hold NUL or most C0 controls: they become U+FFFD.
	wantMsg := hostileMessage + "\ufffd \ufffd]0;title\ufffd ]]> </failure>"
	if c.Failure == nil || c.Failure.Message != wantMsg {
		t.Fatalf("failure %+v, want message %q", c.Failure, wantMsg)
	}
}
