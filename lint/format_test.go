package lint

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/contractlint/contractlint/validate"
)

// hostileMessage holds every character some output format must escape.
const hostileMessage = "value \"a<b>&c\" is 100% wrong, see: here\nand on a second line"

// formatReport builds a report that exercises every formatter: several files,
// findings of every severity (given out of order), a file with an input error,
// a file read only in part, skip reasons, a clean file, a hostile message and
// a file name with spaces and non-ASCII letters.
func formatReport() *Report {
	const dps = "testdata/traffic/dps.har"
	const cert = "testdata/examples/Certificate_CreateOrUpdate.json"
	const payload = "testdata/payloads/zertifikat größe.json"
	return &Report{
		Findings: []FileFinding{
			{
				Finding: validate.Finding{
					Code: validate.CodeInvalidResponseHeader, Severity: validate.Warning,
					Direction: validate.InResponse, Part: validate.PartHeader, Name: "ETag",
					Message: `declared response header "ETag" is missing`,
					SpecRef: "contracts/microsoft.devices/2022-12-12.json#/paths/~1subscriptions~1{subscriptionId}~1resourceGroups~1{resourceGroupName}~1providers~1Microsoft.Devices~1provisioningServices~1{provisioningServiceName}~1certificates~1{certificateName}/get/responses/200/headers/ETag",
				},
				File: dps, Line: 40, Column: 7, Exchange: 2,
				OperationID: "DpsCertificate_Get", APIVersion: "2022-12-12",
			},
			{
				Finding: validate.Finding{
					Code: validate.CodeEnumMismatch, Severity: validate.Error,
					Direction: validate.InRequest, Part: validate.PartBody, Name: "allocationPolicy",
					Pointer: "/properties/allocationPolicy",
					Message: `"Hash" is not one of "Hashed", "GeoLatency" or "Static"; did you mean "Hashed"?`,
					SpecRef: "contracts/microsoft.devices/2022-12-12.json#/components/schemas/IotDpsPropertiesDescription/properties/allocationPolicy",
				},
				File: dps, Line: 12, Column: 25, Exchange: 1,
				OperationID: "IotDpsResource_CreateOrUpdate", APIVersion: "2022-12-12",
			},
			{
				Finding: validate.Finding{
					Code: validate.CodeOperationNotFound, Severity: validate.Info,
					Direction: validate.InRequest, Part: validate.PartRoute,
					Message: "no contract for Microsoft.Resources/resourceGroups",
				},
				File: dps, Line: 58, Column: 5, Exchange: 3,
			},
			{
				Finding: validate.Finding{
					Code: validate.CodeAPIVersionUnsupported, Severity: validate.Error,
					Direction: validate.InRequest, Part: validate.PartRoute,
					Message: `api-version "2020-03-01" is not embedded for Microsoft.Devices/provisioningServices; embedded: "2018-01-22", "2022-12-12"`,
				},
				File: dps, Line: 70, Column: 5, Exchange: 4, APIVersion: "2020-03-01",
			},
			{
				Finding: validate.Finding{
					Code: validate.CodeReadOnlyInRequest, Severity: validate.Error,
					Direction: validate.InRequest, Part: validate.PartBody, Name: "subject",
					Pointer: "/properties/subject", Message: hostileMessage,
				},
				File: cert, Line: 7, Column: 20, Exchange: 1,
				OperationID: "Certificate_CreateOrUpdate", APIVersion: "2024-05-01",
			},
			{
				Finding: validate.Finding{
					Code: validate.CodeInvalidInput, Severity: validate.Error,
					Message: `entry 2: "request" is a number, want an object`,
				},
				File: "testdata/broken.har", Line: 3, Column: 15, Exchange: 2,
			},
			{
				Finding: validate.Finding{
					Code: validate.CodeInputError, Severity: validate.Error,
					Message: "open testdata/missing.json: no such file or directory",
				},
				File: "testdata/missing.json", Line: 1, Column: 1,
			},
			{
				Finding: validate.Finding{
					Code: validate.CodeInvalidFormat, Severity: validate.Error,
					Direction: validate.InRequest, Part: validate.PartBody, Name: "certificate",
					Pointer: "/properties/certificate", Message: `"####" is not valid base64`,
				},
				File: payload, Line: 3, Column: 19, Exchange: 1,
				OperationID: "DpsCertificate_CreateOrUpdate", APIVersion: "2022-12-12",
			},
		},
		Summary: Summary{
			Files: 7, Exchanges: 11, Matched: 7, Skipped: 3,
			SkipReasons: []SkipReason{
				{Reason: "no contract for Microsoft.Resources/resourceGroups", Count: 1},
				{Reason: "no contract for Microsoft.Storage/storageAccounts", Count: 2},
			},
			Errors: 6, Warnings: 1, Infos: 1, FilesWithErrors: 3,
			PerFile: []FileSummary{
				{Path: dps, Format: "har", Exchanges: 4, Findings: 4},
				{Path: "testdata/missing.json", Error: "open testdata/missing.json: no such file or directory", Findings: 1},
				{Path: cert, Format: "example", Exchanges: 1, Findings: 1},
				{Path: "testdata/broken.har", Format: "har", Exchanges: 1, Findings: 1, Error: `entry 2: "request" is a number, want an object`},
				{Path: "testdata/clean/certificate.json", Format: "example", Exchanges: 1},
				{Path: payload, Format: "payload", Exchanges: 1, Findings: 1},
				{Path: "testdata/truncated.ndjson", Format: "ndjson", Exchanges: 3, Error: "line 4: unexpected EOF"},
			},
		},
	}
}

// goldenFormats lists the formatters under test by golden file name. SARIF
// gets a fixed tool version so that the golden file does not depend on how
// the test binary was built.
var goldenFormats = []struct {
	name   string
	format Formatter
}{
	{"text", Text},
	{"json", JSON},
	{"sarif", func(w io.Writer, r *Report) error { return writeSARIF(w, r, "v1.2.3") }},
	{"junit", JUnit},
	{"github", GitHub},
}

func TestFormatGolden(t *testing.T) {
	reports := []struct {
		suffix string
		report *Report
	}{
		{"", formatReport()},
		{"-empty", &Report{}},
	}
	for _, f := range goldenFormats {
		for _, r := range reports {
			t.Run(f.name+r.suffix, func(t *testing.T) {
				got := render(t, f.format, r.report)
				checkGolden(t, "testdata/golden/"+f.name+r.suffix+".golden", got)
			})
		}
	}
}

// render runs a formatter and fails the test on an error.
func render(t *testing.T, f Formatter, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := f(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFormatNilReportIsEmpty(t *testing.T) {
	for _, f := range goldenFormats {
		t.Run(f.name, func(t *testing.T) {
			if got, want := render(t, f.format, nil), render(t, f.format, &Report{}); !bytes.Equal(got, want) {
				t.Errorf("nil report:\n%s\nempty report:\n%s", got, want)
			}
		})
	}
}

func TestFormatDeterministic(t *testing.T) {
	reversed := formatReport()
	fs := reversed.Findings
	for i, j := 0, len(fs)-1; i < j; i, j = i+1, j-1 {
		fs[i], fs[j] = fs[j], fs[i]
	}
	pf := reversed.Summary.PerFile
	for i, j := 0, len(pf)-1; i < j; i, j = i+1, j-1 {
		pf[i], pf[j] = pf[j], pf[i]
	}
	for _, f := range goldenFormats {
		t.Run(f.name, func(t *testing.T) {
			first := render(t, f.format, formatReport())
			if again := render(t, f.format, formatReport()); !bytes.Equal(first, again) {
				t.Error("two renderings of the same report differ")
			}
			if other := render(t, f.format, reversed); !bytes.Equal(first, other) {
				t.Errorf("output depends on the order of the input:\n%s", firstDifference(first, other))
			}
		})
	}
}

func TestFormatDoesNotMutateReport(t *testing.T) {
	for _, f := range goldenFormats {
		t.Run(f.name, func(t *testing.T) {
			r := formatReport()
			render(t, f.format, r)
			if !reflect.DeepEqual(r, formatReport()) {
				t.Error("formatter changed the report it was given")
			}
		})
	}
}

func TestFormatInvalidSeverity(t *testing.T) {
	r := &Report{Findings: []FileFinding{{
		Finding: validate.Finding{Code: validate.CodePattern, Message: "m"},
		File:    "a.json", Line: 1, Column: 1,
	}}}
	for _, f := range goldenFormats {
		t.Run(f.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := f.format(&buf, r)
			if err == nil || !strings.Contains(err.Error(), "invalid severity") {
				t.Errorf("error = %v, want one about the invalid severity", err)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %q before failing", buf.String())
			}
		})
	}
}

func TestFormatterFor(t *testing.T) {
	tests := []struct {
		name    string
		want    Formatter
		wantErr string
	}{
		{name: "text", want: Text},
		{name: "json", want: JSON},
		{name: "sarif", want: SARIF},
		{name: "junit", want: JUnit},
		{name: "github", want: GitHub},
		{name: "SARIF", want: SARIF},
		{name: "xml", wantErr: `unknown format "xml" (want github, json, junit, sarif or text)`},
		{name: "", wantErr: `unknown format "" (want github, json, junit, sarif or text)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FormatterFor(tt.name)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Errorf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if reflect.ValueOf(got).Pointer() != reflect.ValueOf(tt.want).Pointer() {
				t.Errorf("FormatterFor(%q) returned another formatter", tt.name)
			}
		})
	}
}

func TestFormatNames(t *testing.T) {
	want := []string{"github", "json", "junit", "sarif", "text"}
	if got := FormatNames(); !reflect.DeepEqual(got, want) {
		t.Errorf("FormatNames() = %q, want %q", got, want)
	}
	for _, name := range FormatNames() {
		if _, err := FormatterFor(name); err != nil {
			t.Errorf("FormatterFor(%q): %v", name, err)
		}
	}
}

func TestSortFindings(t *testing.T) {
	at := func(file string, line, col int, code, pointer string, exchange int) FileFinding {
		return FileFinding{
			Finding: validate.Finding{Code: code, Pointer: pointer, Severity: validate.Error},
			File:    file, Line: line, Column: col, Exchange: exchange,
		}
	}
	want := []FileFinding{
		at("a.json", 1, 1, "B", "", 0),
		at("a.json", 2, 1, "A", "", 0),
		at("a.json", 2, 3, "A", "", 0),
		at("a.json", 2, 3, "B", "/a", 0),
		at("a.json", 2, 3, "B", "/b", 1),
		at("a.json", 2, 3, "B", "/b", 2),
		at("a.json", 10, 1, "A", "", 0),
		at("b.json", 1, 1, "A", "", 0),
	}
	got := make([]FileFinding, len(want))
	for i := range want {
		got[i] = want[len(want)-1-i]
	}
	sortFindings(got)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sorted:\n%+v\nwant:\n%+v", got, want)
	}
}

func TestNormalizeClampsPositions(t *testing.T) {
	r := &Report{Findings: []FileFinding{{
		Finding: validate.Finding{Code: validate.CodeInputError, Severity: validate.Error},
		File:    "a.json",
	}}}
	n, err := normalize(r)
	if err != nil {
		t.Fatal(err)
	}
	if f := n.Findings[0]; f.Line != 1 || f.Column != 1 {
		t.Errorf("position %d:%d, want 1:1", f.Line, f.Column)
	}
	if r.Findings[0].Line != 0 {
		t.Error("normalize changed the caller's finding")
	}
}
