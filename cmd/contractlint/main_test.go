package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/contractlint/contractlint/validate"
)

// update rewrites the golden files under testdata/golden instead of
// comparing with them:
//
//	go test ./cmd/contractlint -run 'Golden|Lint|Validate|Rules|Specs' -update
var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// Inputs shared with the rest of the repository, relative to this package.
const (
	samplesDir = "../../testdata/samples"
	payloadDPS = "../../testdata/payloads/dps-create-2022.json"
	// sharedDir is the corpus of published Azure files beside the checkout.
	sharedDir = "../../../shared"
)

// cliRun is one in-process run of the command and what it produced.
type cliRun struct {
	args      []string
	stdinFile string
	code      int
	stdout    string
	stderr    string
}

// runCLI runs contractlint with args in-process, with the content of
// stdinFile (if any) as standard input. Tests call it serially: urfave/cli
// writes to its package-level help flag on every run, so run is not safe
// for concurrent use.
func runCLI(t *testing.T, stdinFile string, args ...string) cliRun {
	t.Helper()
	var stdin []byte
	if stdinFile != "" {
		var err error
		if stdin, err = os.ReadFile(stdinFile); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"contractlint"}, args...), bytes.NewReader(stdin), &stdout, &stderr)
	return cliRun{args: args, stdinFile: stdinFile, code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// driverVersion matches the tool version in a SARIF log, which depends on
// how the binary was built.
var driverVersion = regexp.MustCompile(`("name": "contractlint",\s*"informationUri": "[^"]*",\s*"version": )"[^"]*"(,\s*"semanticVersion": "[^"]*")?`)

// transcript renders a run as a golden file: the command line, the exit
// code, then standard output and standard error. The SARIF tool version is
// replaced by VERSION so that the file does not depend on the build.
func (r cliRun) transcript() []byte {
	var b strings.Builder
	b.WriteString("$ contractlint")
	for _, a := range r.args {
		if a == "" || strings.ContainsAny(a, " \t\"'*?$&") {
			a = strconv.Quote(a)
		}
		b.WriteString(" " + a)
	}
	if r.stdinFile != "" {
		b.WriteString(" < " + r.stdinFile)
	}
	b.WriteString("\nexit " + strconv.Itoa(r.code) + "\n-- stdout --\n")
	b.WriteString(driverVersion.ReplaceAllString(r.stdout, `${1}"VERSION"`))
	b.WriteString("-- stderr --\n")
	b.WriteString(r.stderr)
	return []byte(b.String())
}

// assertGolden compares got with testdata/golden/name.golden, or rewrites
// the file with -update. A mismatch shows the first line that differs.
func assertGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	i := 0
	for i < len(wl) && i < len(gl) && wl[i] == gl[i] {
		i++
	}
	line := func(l []string) string {
		if i < len(l) {
			return l[i]
		}
		return "<end of file>"
	}
	t.Errorf("output differs from %s at line %d (run go test -update to accept it):\nwant %s\ngot  %s", path, i+1, line(wl), line(gl))
}

// goldenCase is a whole run compared with a golden transcript.
type goldenCase struct {
	name  string
	stdin string // file given as standard input
	args  []string
	code  int // expected exit code, checked before the transcript
}

func runGoldenCases(t *testing.T, cases []goldenCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, tc.stdin, tc.args...)
			if r.code != tc.code {
				t.Errorf("exit code %d, want %d; stderr: %s", r.code, tc.code, r.stderr)
			}
			assertGolden(t, tc.name, r.transcript())
		})
	}
}

// TestLintInputFormatsGolden lints one file of each input format, as
// detected, and compares the whole run with its golden transcript.
func TestLintInputFormatsGolden(t *testing.T) {
	runGoldenCases(t, []goldenCase{
		{name: "input-example", code: 0,
			args: []string{"lint", "--no-config", samplesDir + "/examples/ApimCreateCertificateKeyVault.json"}},
		// Certificate_Get and Certificate_RefreshSecret take the same
		// parameters and return the same body: the file name decides.
		{name: "input-example-by-name", code: 1,
			args: []string{"lint", "--no-config", "testdata/inputs/ApimRefreshCertificate.json"}},
		{name: "input-traffic", code: 1,
			args: []string{"lint", "--no-config", samplesDir + "/dps-certificate-traffic.json"}},
		{name: "input-traffic-status-number", code: 1,
			args: []string{"lint", "--no-config", "testdata/inputs/traffic-status-number.json"}},
		{name: "input-har", code: 1,
			args: []string{"lint", "--no-config", samplesDir + "/dps-provisioning.har"}},
		{name: "input-recording", code: 1,
			args: []string{"lint", "--no-config", samplesDir + "/apim-certificates.recording.json"}},
		{name: "input-http", code: 1,
			args: []string{"lint", "--no-config", samplesDir + "/apim-certificates.http"}},
		{name: "input-payload-request", code: 0,
			args: []string{"lint", "--no-config", "--operation", "IotDpsResource_CreateOrUpdate", "--api-version", "2022-12-12", "--direction", "request", payloadDPS}},
		{name: "input-payload-response", code: 1,
			args: []string{"lint", "--no-config", "--operation", "Certificate_Get", "--api-version", "2024-05-01", "--direction", "response", "--status", "200", "testdata/inputs/cert-response.json"}},
		{name: "input-payload-unmapped", code: 1,
			args: []string{"lint", "--no-config", payloadDPS}},
		{name: "input-ndjson-stdin", code: 1, stdin: "testdata/inputs/stdin.ndjson",
			args: []string{"lint", "--no-config", "-"}},
		{name: "input-forced-traffic", code: 0,
			args: []string{"lint", "--no-config", "--input", "traffic", "testdata/inputs/info-only.json"}},
	})
}

// TestLintOutputFormatsGolden renders the samples in every output format.
func TestLintOutputFormatsGolden(t *testing.T) {
	var cases []goldenCase
	for _, f := range []string{"text", "json", "sarif", "junit", "github"} {
		cases = append(cases, goldenCase{name: "output-" + f, code: 1, args: []string{"lint", "--no-config", "--format", f, samplesDir}})
	}
	runGoldenCases(t, cases)
}

// TestLintConfigFileGolden applies a configuration given with --config:
// severities (one code off, one lowered to info), an ignore glob and a
// payload mapping, all relative to the configuration file.
func TestLintConfigFileGolden(t *testing.T) {
	runGoldenCases(t, []goldenCase{
		{name: "config-file", code: 1,
			args: []string{"lint", "--config", "testdata/config/.contractlint.yaml", "testdata/config"}},
		{name: "config-none", code: 1,
			args: []string{"lint", "--no-config", "testdata/config"}},
	})
}

// TestValidateCommandGolden checks single calls given on the command line;
// bodies read from @FILE are placed in that file.
func TestValidateCommandGolden(t *testing.T) {
	const url = "https://management.azure.com/subscriptions/91d12660-3dec-467a-be2a-213b5544a7ec/resourceGroups/iot-rg/providers/Microsoft.Devices/provisioningServices/contoso-dps/certificates/root-ca?api-version=2022-12-12"
	put := []string{"validate", "--no-config", "--method", "PUT", "--url", url, "-H", "Content-Type: application/json"}
	with := func(extra ...string) []string { return append(append([]string(nil), put...), extra...) }
	runGoldenCases(t, []goldenCase{
		{name: "validate-request-valid", code: 0, args: with("--body", "@testdata/validate/cert-put-valid.json")},
		{name: "validate-request-invalid", code: 1, args: with("--body", "@testdata/validate/cert-put-invalid.json")},
		{name: "validate-request-inline", code: 1, args: with("--body", `{"properties": {"certificate": "####"}}`)},
		{name: "validate-response-valid", code: 0, args: with("--body", "@testdata/validate/cert-put-valid.json",
			"--response-status", "200", "--response-header", "Content-Type: application/json", "--response-body", "@testdata/validate/cert-response-valid.json")},
		{name: "validate-response-invalid", code: 1, args: with("--body", "@testdata/validate/cert-put-invalid.json",
			"--response-status", "200", "--response-body", "@testdata/validate/cert-response-invalid.json")},
		{name: "validate-response-undeclared-status", code: 1, args: with("--body", "@testdata/validate/cert-put-valid.json",
			"--response-status", "201", "--response-body", "@testdata/validate/cert-response-valid.json")},
		{name: "validate-delete-json", code: 1, args: []string{"validate", "--no-config", "--format", "json", "--method", "DELETE", "--url", url}},
	})
}

// TestRulesCommand lists the rules as text (golden) and as JSON, which must
// hold every code of the registry with its documentation.
func TestRulesCommand(t *testing.T) {
	runGoldenCases(t, []goldenCase{
		{name: "rules", code: 0, args: []string{"rules"}},
		{name: "rules-codes", code: 0, args: []string{"rules", "INVALID_FORMAT", "lro_response_header"}},
	})

	r := runCLI(t, "", "rules", "--format", "json")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("rules --format json: exit %d, stderr %q", r.code, r.stderr)
	}
	var got []struct {
		Code, Severity, Group, Title, Doc, Bad, Good string
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("rules --format json is not a JSON array of rules: %v", err)
	}
	byCode := map[string]int{}
	for i, g := range got {
		if _, dup := byCode[g.Code]; dup {
			t.Errorf("code %s listed twice", g.Code)
		}
		byCode[g.Code] = i
	}
	for _, rule := range validate.Rules() {
		i, ok := byCode[rule.Code]
		if !ok {
			t.Errorf("rules --format json lacks %s", rule.Code)
			continue
		}
		g := got[i]
		if g.Severity != rule.Severity.String() || g.Title == "" || g.Doc == "" || g.Bad == "" || g.Good == "" {
			t.Errorf("%s: %+v, want severity %s and every doc field", rule.Code, g, rule.Severity)
		}
		delete(byCode, rule.Code)
	}
	for code := range byCode {
		t.Errorf("rules --format json lists %s, which is not in validate.Rules()", code)
	}
}

// TestSpecsCommand lists the embedded contracts and their 48 operations.
func TestSpecsCommand(t *testing.T) {
	runGoldenCases(t, []goldenCase{
		{name: "specs", code: 0, args: []string{"specs"}},
		{name: "specs-operations", code: 0, args: []string{"specs", "--operations"}},
	})
	r := runCLI(t, "", "specs", "--operations")
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 48 {
		t.Errorf("specs --operations printed %d lines, want 48 (18 + 24 DPS, 6 APIM)", len(lines))
	}
	perVersion := map[string]int{}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) != 4 || !strings.HasPrefix(f[3], "/") {
			t.Errorf("operation line %q: want api-version, method, operationId, path", l)
			continue
		}
		perVersion[f[0]]++
	}
	if want := map[string]int{"2018-01-22": 18, "2022-12-12": 24, "2024-05-01": 6}; !equalCounts(perVersion, want) {
		t.Errorf("operations per api-version %v, want %v", perVersion, want)
	}
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestExitCodes checks 0 for a clean file, 1 for findings and 2 for usage
// errors; a usage error goes to standard error and leaves standard output
// empty, so that it never corrupts a JSON or SARIF report.
func TestExitCodes(t *testing.T) {
	clean := samplesDir + "/examples/ApimCreateCertificateKeyVault.json"
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string // substring of standard error for exit code 2
	}{
		{"clean file", []string{"lint", "--no-config", clean}, 0, ""},
		{"clean file json", []string{"lint", "--no-config", "-f", "json", clean}, 0, ""},
		{"findings", []string{"lint", "--no-config", samplesDir}, 1, ""},
		{"unknown flag", []string{"lint", "--no-config", "--bogus", samplesDir}, 2, "flag provided but not defined: -bogus"},
		{"unknown flag json", []string{"lint", "--no-config", "--format", "json", "--bogus", samplesDir}, 2, "-bogus"},
		{"unknown flag sarif", []string{"lint", "--no-config", "--format", "sarif", "--bogus", samplesDir}, 2, "-bogus"},
		{"unknown format", []string{"lint", "--no-config", "--format", "yaml", samplesDir}, 2, `"yaml"`},
		{"no path", []string{"lint", "--no-config", "--format", "json"}, 2, "PATH"},
		{"flag after path", []string{"lint", "--no-config", samplesDir, "--format", "sarif"}, 2, `"--format" after a PATH`},
		{"file named like a flag", []string{"lint", "--no-config", "./-x"}, 1, ""},
		{"no path sarif", []string{"lint", "--no-config", "--format", "sarif"}, 2, "PATH"},
		{"bad severity level", []string{"lint", "--no-config", "-f", "json", "--severity", "INVALID_FORMAT=fatal", samplesDir}, 2, `"fatal"`},
		{"unknown severity code", []string{"lint", "--no-config", "-f", "json", "--severity", "NO_SUCH_CODE=off", samplesDir}, 2, `"NO_SUCH_CODE"`},
		{"severity without level", []string{"lint", "--no-config", "-f", "json", "--severity", "INVALID_FORMAT", samplesDir}, 2, "CODE=LEVEL"},
		{"bad fail severity", []string{"lint", "--no-config", "-f", "sarif", "--fail-severity", "fatal", samplesDir}, 2, "--fail-severity"},
		{"bad unsupported api-version level", []string{"lint", "--no-config", "--unsupported-api-version", "loud", samplesDir}, 2, `"loud"`},
		{"bad direction", []string{"lint", "--no-config", "-f", "json", "--direction", "sideways", payloadDPS}, 2, `"sideways"`},
		{"bad input format", []string{"lint", "--no-config", "-f", "json", "--input", "xml", samplesDir}, 2, `"xml"`},
		{"missing config", []string{"lint", "-f", "json", "--config", "testdata/no-such-config.yaml", samplesDir}, 2, "no-such-config.yaml"},
		{"bad config", []string{"lint", "-f", "json", "--config", "testdata/inputs/info-only.json", samplesDir}, 2, "info-only.json"},
		{"missing contract", []string{"lint", "--no-config", "-f", "json", "--contract", "testdata/no-such-contract.json", samplesDir}, 2, "no-such-contract.json"},
		{"unknown command", []string{"bogus"}, 2, "bogus"},
		{"rules unknown code", []string{"rules", "-f", "json", "NO_SUCH_CODE"}, 2, `"NO_SUCH_CODE"`},
		{"rules unknown format", []string{"rules", "-f", "sarif"}, 2, `"sarif"`},
		{"specs argument", []string{"specs", "extra"}, 2, "no arguments"},
		{"validate no url", []string{"validate", "--no-config", "-f", "json"}, 2, "--url"},
		{"validate argument", []string{"validate", "--no-config", "--url", "/x", "extra"}, 2, "no arguments"},
		{"validate bad header", []string{"validate", "--no-config", "-f", "json", "--url", "/x", "-H", "no-colon"}, 2, "NAME: VALUE"},
		{"validate response body without status", []string{"validate", "--no-config", "-f", "sarif", "--url", "/x", "--response-body", "{}"}, 2, "--response-status"},
		{"validate missing body file", []string{"validate", "--no-config", "-f", "json", "--url", "/x", "--body", "@testdata/no-such-body.json"}, 2, "no-such-body.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, "", tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit code %d, want %d\nstdout: %s\nstderr: %s", r.code, tc.code, r.stdout, r.stderr)
			}
			if tc.code != exitError {
				if r.stdout == "" {
					t.Error("no report on standard output")
				}
				return
			}
			if r.stdout != "" {
				t.Errorf("a usage error wrote to standard output:\n%s", r.stdout)
			}
			if !strings.HasPrefix(r.stderr, "contractlint: ") || !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("stderr %q, want a \"contractlint: \" line mentioning %s", r.stderr, tc.stderr)
			}
		})
	}
}

// TestOutputFile writes the report to --output and nothing to standard
// output; the file holds what standard output would have.
func TestOutputFile(t *testing.T) {
	for _, format := range []string{"text", "json", "sarif"} {
		t.Run(format, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "report."+format)
			r := runCLI(t, "", "lint", "--no-config", "--format", format, "--output", out, samplesDir)
			if r.code != exitFindings || r.stdout != "" || r.stderr != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
			}
			got, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			want := runCLI(t, "", "lint", "--no-config", "--format", format, samplesDir).stdout
			if string(got) != want {
				t.Errorf("--output file differs from standard output:\n%s\nwant\n%s", got, want)
			}
		})
	}
	// An output file that cannot be written is an I/O error.
	r := runCLI(t, "", "lint", "--no-config", "--output", filepath.Join(t.TempDir(), "missing-dir", "r.txt"), samplesDir)
	if r.code != exitError || r.stdout != "" || !strings.Contains(r.stderr, "missing-dir") {
		t.Errorf("unwritable --output: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// TestFailSeverity checks that --fail-severity moves the threshold of exit
// code 1: a file with only a warning, one with only an info finding.
func TestFailSeverity(t *testing.T) {
	for _, tc := range []struct {
		file, fail string
		code       int
	}{
		{"testdata/inputs/warning-only.json", "", 0},
		{"testdata/inputs/warning-only.json", "error", 0},
		{"testdata/inputs/warning-only.json", "warning", 1},
		{"testdata/inputs/warning-only.json", "info", 1},
		{"testdata/inputs/info-only.json", "", 0},
		{"testdata/inputs/info-only.json", "warning", 0},
		{"testdata/inputs/info-only.json", "info", 1},
		{samplesDir + "/examples/ApimCreateCertificateKeyVault.json", "info", 0},
	} {
		args := []string{"lint", "--no-config"}
		if tc.fail != "" {
			args = append(args, "--fail-severity", tc.fail)
		}
		args = append(args, tc.file)
		if r := runCLI(t, "", args...); r.code != tc.code {
			t.Errorf("%s --fail-severity %q: exit %d, want %d", tc.file, tc.fail, r.code, tc.code)
		}
	}
}

// jsonReport is the part of the JSON report the tests read back.
type jsonReport struct {
	Findings []jsonFinding `json:"findings"`
	Summary  struct {
		Files       int `json:"files"`
		Exchanges   int `json:"exchanges"`
		Matched     int `json:"matched"`
		Skipped     int `json:"skipped"`
		SkipReasons []struct {
			Reason string `json:"reason"`
			Count  int    `json:"count"`
		} `json:"skipReasons"`
		Errors          int `json:"errors"`
		Warnings        int `json:"warnings"`
		Infos           int `json:"infos"`
		FilesWithErrors int `json:"filesWithErrors"`
		PerFile         []struct {
			Path      string `json:"path"`
			Format    string `json:"format"`
			Exchanges int    `json:"exchanges"`
			Findings  int    `json:"findings"`
			Error     string `json:"error"`
		} `json:"perFile"`
	} `json:"summary"`
}

type jsonFinding struct {
	Code        string `json:"code"`
	Severity    string `json:"severity"`
	Direction   string `json:"direction"`
	In          string `json:"in"`
	Name        string `json:"name"`
	Pointer     string `json:"pointer"`
	Message     string `json:"message"`
	File        string `json:"file"`
	Line        int    `json:"line"`
	Column      int    `json:"column"`
	Exchange    int    `json:"exchange"`
	OperationID string `json:"operationId"`
	APIVersion  string `json:"apiVersion"`
}

// lintJSON runs lint with --format json and decodes the report.
func lintJSON(t *testing.T, args ...string) (jsonReport, int) {
	t.Helper()
	r := runCLI(t, "", append([]string{"lint", "--format", "json"}, args...)...)
	if r.code == exitError {
		t.Fatalf("lint %v: exit 2: %s", args, r.stderr)
	}
	var rep jsonReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("lint %v: the JSON report does not decode: %v\n%s", args, err, r.stdout)
	}
	return rep, r.code
}

func countCodes(fs []jsonFinding) map[string]int {
	m := map[string]int{}
	for _, f := range fs {
		m[f.Code+" "+f.Severity]++
	}
	return m
}

// TestSeverityFlag turns codes off and changes severities from the command
// line; the summary counts follow.
func TestSeverityFlag(t *testing.T) {
	base, _ := lintJSON(t, "--no-config", samplesDir)
	if n := countCodes(base.Findings)["INVALID_FORMAT error"]; n != 2 {
		t.Fatalf("the samples have %d INVALID_FORMAT errors, want 2 (the test relies on them)", n)
	}
	off, code := lintJSON(t, "--no-config", "--severity", "INVALID_FORMAT=off", "--severity", "ENUM_MISMATCH=off", samplesDir)
	for _, f := range off.Findings {
		if f.Code == "INVALID_FORMAT" || f.Code == "ENUM_MISMATCH" {
			t.Errorf("%s reported although turned off: %+v", f.Code, f)
		}
	}
	if want := len(base.Findings) - 4; len(off.Findings) != want || off.Summary.Errors != base.Summary.Errors-3 || off.Summary.Warnings != base.Summary.Warnings-1 {
		t.Errorf("with two codes off: %d findings, %d errors, %d warnings; want %d, %d, %d",
			len(off.Findings), off.Summary.Errors, off.Summary.Warnings, want, base.Summary.Errors-3, base.Summary.Warnings-1)
	}
	if code != exitFindings {
		t.Errorf("exit %d, want 1 (other errors remain)", code)
	}

	// Every error lowered to a warning: exit 0 by default, 1 with
	// --fail-severity warning.
	args := []string{"--no-config"}
	for c := range countCodes(base.Findings) {
		if code, sev, _ := strings.Cut(c, " "); sev == "error" {
			args = append(args, "--severity", code+"=warning")
		}
	}
	low, code := lintJSON(t, append(args, samplesDir)...)
	if low.Summary.Errors != 0 || len(low.Findings) != len(base.Findings) || code != exitClean {
		t.Errorf("all errors lowered: %d errors, %d findings, exit %d; want 0, %d, 0", low.Summary.Errors, len(low.Findings), code, len(base.Findings))
	}
	if _, code := lintJSON(t, append(args, "--fail-severity", "warning", samplesDir)...); code != exitFindings {
		t.Errorf("all errors lowered, --fail-severity warning: exit %d, want 1", code)
	}

	// --unsupported-api-version is a shorthand for one code's severity.
	uv, _ := lintJSON(t, "--no-config", "--unsupported-api-version", "warning", samplesDir+"/dps-provisioning.har")
	if countCodes(uv.Findings)["API_VERSION_NOT_SUPPORTED warning"] != 1 {
		t.Errorf("--unsupported-api-version warning: %v", countCodes(uv.Findings))
	}
}

// TestConfigFlagApplies checks what the golden config run shows, in terms
// of codes: the ignored file is not read at all, the mapped payload is
// validated, INVALID_RESPONSE_HEADER is off and ENUM_MISMATCH is info; a
// flag overrides the file.
func TestConfigFlagApplies(t *testing.T) {
	rep, code := lintJSON(t, "--config", "testdata/config/.contractlint.yaml", "testdata/config")
	var files []string
	for _, f := range rep.Summary.PerFile {
		files = append(files, f.Path)
	}
	if want := []string{"testdata/config/payloads/dps-create.json", "testdata/config/traffic-no-etag.json"}; strings.Join(files, ",") != strings.Join(want, ",") {
		t.Errorf("files read %v, want %v (ignored/** skipped)", files, want)
	}
	want := map[string]int{"OBJECT_MISSING_REQUIRED_PROPERTY error": 1, "ENUM_MISMATCH info": 1}
	if got := countCodes(rep.Findings); !equalCounts(got, want) {
		t.Errorf("findings %v, want %v", got, want)
	}
	if code != exitFindings {
		t.Errorf("exit %d, want 1", code)
	}
	rep, _ = lintJSON(t, "--config", "testdata/config/.contractlint.yaml", "--severity", "ENUM_MISMATCH=error", "--severity", "INVALID_RESPONSE_HEADER=warning", "testdata/config")
	want = map[string]int{"OBJECT_MISSING_REQUIRED_PROPERTY error": 1, "ENUM_MISMATCH error": 1, "INVALID_RESPONSE_HEADER warning": 1}
	if got := countCodes(rep.Findings); !equalCounts(got, want) {
		t.Errorf("flags over the config: findings %v, want %v", got, want)
	}
}

// TestSARIFOutputIsValid validates the SARIF log of a whole run against the
// official SARIF 2.1.0 schema, and checks that locations are relative.
func TestSARIFOutputIsValid(t *testing.T) {
	schemaPath := filepath.Join(sharedDir, "sarif", "sarif-schema-2.1.0.json")
	raw, err := os.ReadFile(schemaPath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("the SARIF 2.1.0 schema is not at %s (checkout without ../shared); SARIF output not validated", schemaPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft4
	c.AssertFormat = true
	const id = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	if err := c.AddResource(id, bytes.NewReader(raw)); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile(id)
	if err != nil {
		t.Fatal(err)
	}
	for name, args := range map[string][]string{
		"samples":  {samplesDir},
		"clean":    {samplesDir + "/examples/ApimCreateCertificateKeyVault.json"},
		"unread":   {"testdata/no-such-file.json"},
		"validate": nil,
	} {
		t.Run(name, func(t *testing.T) {
			var r cliRun
			if args == nil {
				r = runCLI(t, "", "validate", "--no-config", "-f", "sarif", "-X", "DELETE", "--url", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Devices/provisioningServices/dps1/certificates/c1?api-version=2022-12-12")
			} else {
				r = runCLI(t, "", append([]string{"lint", "--no-config", "-f", "sarif"}, args...)...)
			}
			if r.code == exitError {
				t.Fatalf("exit 2: %s", r.stderr)
			}
			var doc any
			if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
				t.Fatalf("SARIF output is not JSON: %v", err)
			}
			if err := schema.Validate(doc); err != nil {
				t.Errorf("SARIF output is not valid SARIF 2.1.0: %#v", err)
			}
			for _, uri := range regexp.MustCompile(`"uri": "([^"]*)"`).FindAllStringSubmatch(r.stdout, -1) {
				if strings.HasPrefix(uri[1], "/") || strings.HasPrefix(uri[1], "file:") || strings.Contains(uri[1], `\`) {
					t.Errorf("artifact URI %q is not relative with forward slashes", uri[1])
				}
			}
		})
	}
}

// TestJUnitOutputParses reads the JUnit report of a whole run back with
// encoding/xml: one suite per file, and counts that add up.
func TestJUnitOutputParses(t *testing.T) {
	r := runCLI(t, "", "lint", "--no-config", "-f", "junit", samplesDir, "testdata/inputs/info-only.json", "testdata/no-such-file.json")
	if r.code != exitFindings {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	type testcase struct {
		Name    string    `xml:"name,attr"`
		Failure *struct{} `xml:"failure"`
		Error   *struct{} `xml:"error"`
		Skipped *struct{} `xml:"skipped"`
	}
	type suite struct {
		Name     string     `xml:"name,attr"`
		Tests    int        `xml:"tests,attr"`
		Failures int        `xml:"failures,attr"`
		Errors   int        `xml:"errors,attr"`
		Skipped  int        `xml:"skipped,attr"`
		Cases    []testcase `xml:"testcase"`
	}
	var doc struct {
		XMLName  xml.Name `xml:"testsuites"`
		Tests    int      `xml:"tests,attr"`
		Failures int      `xml:"failures,attr"`
		Errors   int      `xml:"errors,attr"`
		Skipped  int      `xml:"skipped,attr"`
		Suites   []suite  `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("JUnit output does not parse: %v", err)
	}
	var names []string
	var tests, failures, errs, skipped int
	for _, s := range doc.Suites {
		names = append(names, s.Name)
		var f, e, k int
		for _, c := range s.Cases {
			switch {
			case c.Failure != nil:
				f++
			case c.Error != nil:
				e++
			case c.Skipped != nil:
				k++
			}
		}
		if s.Tests != len(s.Cases) || s.Failures != f || s.Errors != e || s.Skipped != k {
			t.Errorf("suite %s counts tests=%d failures=%d errors=%d skipped=%d, its cases give %d, %d, %d, %d",
				s.Name, s.Tests, s.Failures, s.Errors, s.Skipped, len(s.Cases), f, e, k)
		}
		tests, failures, errs, skipped = tests+s.Tests, failures+s.Failures, errs+s.Errors, skipped+s.Skipped
	}
	if doc.Tests != tests || doc.Failures != failures || doc.Errors != errs || doc.Skipped != skipped {
		t.Errorf("root counts %d/%d/%d/%d, suites add up to %d/%d/%d/%d", doc.Tests, doc.Failures, doc.Errors, doc.Skipped, tests, failures, errs, skipped)
	}
	want := []string{
		samplesDir + "/apim-certificates.http",
		samplesDir + "/apim-certificates.recording.json",
		samplesDir + "/dps-certificate-traffic.json",
		samplesDir + "/dps-provisioning.har",
		samplesDir + "/examples/ApimCreateCertificateKeyVault.json",
		"testdata/inputs/info-only.json",
		"testdata/no-such-file.json",
	}
	sort.Strings(want)
	if strings.Join(names, "\n") != strings.Join(want, "\n") {
		t.Errorf("suites:\n%s\nwant\n%s", strings.Join(names, "\n"), strings.Join(want, "\n"))
	}
	if errs != 1 {
		t.Errorf("%d error cases, want 1 (the missing file)", errs)
	}
}

// TestOutputDoesNotDependOnJobs checks that reading files in parallel does
// not change the report.
func TestOutputDoesNotDependOnJobs(t *testing.T) {
	for _, format := range []string{"text", "json", "sarif", "junit", "github"} {
		one := runCLI(t, "", "lint", "--no-config", "--format", format, "--jobs", "1", samplesDir, "testdata/inputs")
		many := runCLI(t, "", "lint", "--no-config", "--format", format, "--jobs", "8", samplesDir, "testdata/inputs")
		if one.stdout != many.stdout || one.code != many.code {
			t.Errorf("%s: --jobs 1 and --jobs 8 give different reports", format)
		}
	}
}

// TestConfigDiscovery finds .contractlint.yaml in the working directory's
// parents unless --no-config is given; a broken one found that way is a
// usage error too.
func TestConfigDiscovery(t *testing.T) {
	traffic, err := os.ReadFile(samplesDir + "/dps-certificate-traffic.json")
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	sub := filepath.Join(root, "traffic", "dps")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "cert.json"), traffic, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(root, ".contractlint.yaml")
	if err := os.WriteFile(cfg, []byte("severity:\n  INVALID_FORMAT: off\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(sub)

	rep, _ := lintJSON(t, "cert.json")
	if got := countCodes(rep.Findings); !equalCounts(got, map[string]int{"INVALID_TYPE error": 1}) {
		t.Errorf("with the parent's config: %v, want only INVALID_TYPE", got)
	}
	if rep.Findings[0].File != "cert.json" {
		t.Errorf("file %q, want cert.json (relative to the working directory)", rep.Findings[0].File)
	}
	rep, _ = lintJSON(t, "--no-config", "cert.json")
	if got := countCodes(rep.Findings); !equalCounts(got, map[string]int{"INVALID_TYPE error": 1, "INVALID_FORMAT error": 1}) {
		t.Errorf("--no-config: %v, want INVALID_TYPE and INVALID_FORMAT", got)
	}

	if err := os.WriteFile(cfg, []byte("severities:\n  INVALID_FORMAT: off\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "lint", "--format", "sarif", "cert.json")
	if r.code != exitError || r.stdout != "" || !strings.Contains(r.stderr, "severities") {
		t.Errorf("broken config: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}
