package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The official Swagger files, their examples and real recorded traffic live
// in ../shared beside the checkout (see FACTS.md there); these tests skip,
// saying so, without it.
var (
	azureSpecsDir = filepath.Join(sharedDir, "azure-specs")
	recordingsDir = filepath.Join(sharedDir, "recordings")
)

// The three examples directories, relative to azure-specs.
const (
	d18Examples  = "deviceprovisioningservices/resource-manager/Microsoft.Devices/stable/2018-01-22/examples/"
	d22Examples  = "deviceprovisioningservices/resource-manager/Microsoft.Devices/stable/2022-12-12/examples/"
	apimExamples = "apimanagement/resource-manager/Microsoft.ApiManagement/stable/2024-05-01/examples/"
)

func needShared(t *testing.T, dir string) {
	t.Helper()
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("%s is absent (checkout without ../shared): %v", dir, err)
	}
}

// exampleFinding is a finding an official example really has.
type exampleFinding struct {
	file         string // relative to azure-specs
	code         string
	pointer      string
	severity     string
	line, column int
	reason       string // why the example has it, after FACTS.md
}

func (f exampleFinding) key() string {
	return fmt.Sprintf("%s:%d:%d %s %s %q", f.file, f.line, f.column, f.severity, f.code, f.pointer)
}

// officialExampleFindings is everything the official examples of the three
// embedded contracts break, and nothing else. oav 4.0.3 reports the same
// findings (FACTS.md, "What Microsoft's oav 4.0.3 reports") except the ETag
// warnings, which are our rule, and DPSUpdate.json, which oav never sees
// because no operation references it.
func officialExampleFindings() []exampleFinding {
	fs := []exampleFinding{
		{d18Examples + "DPSCreate.json", "READONLY_PROPERTY_NOT_ALLOWED_IN_REQUEST", "/type", "error", 9, 7,
			"FACTS 5 D18.2: the request body sends readOnly type (oav: READONLY_PROPERTY_NOT_ALLOWED_IN_REQUEST)"},
		{d18Examples + "DPSCreate.json", "READONLY_PROPERTY_NOT_ALLOWED_IN_REQUEST", "/sku/tier", "error", 14, 9,
			"FACTS 5 D18.2: the request body sends readOnly sku.tier (oav: READONLY_PROPERTY_NOT_ALLOWED_IN_REQUEST)"},
		{d18Examples + "DPSDelete.json", "LRO_RESPONSE_HEADER", "", "error", 11, 5,
			"FACTS oav table: long-running IotDpsResource_Delete 202 without Location or Azure-AsyncOperation"},
		{d18Examples + "DPSUpdate.json", "UNRESOLVED_OPERATION", "", "error", 1, 1,
			"FACTS 5 D18.8: no operation references it; its parameters (name, no body wrapper) fit no operation"},
		{d22Examples + "DPSGenerateVerificationCode.json", "INVALID_FORMAT", "/properties/certificate", "error", 19, 26,
			"FACTS 5 D22.2: \"####...\" placeholder is not base64 (format byte) (oav: INVALID_FORMAT)"},
		{d22Examples + "DPSGetCertificates.json", "INVALID_FORMAT", "/value/0/properties/certificate", "error", 20, 30,
			"FACTS 5 D22.2: \"####...\" placeholder is not base64 (format byte) (oav: INVALID_FORMAT)"},
	}
	// FACTS 5 D18.1: all 35 display objects carry description, which
	// Operation.display does not declare (oav: 35 x OBJECT_ADDITIONAL_PROPERTIES).
	for i := 0; i < 35; i++ {
		fs = append(fs, exampleFinding{d18Examples + "DPSOperations.json", "OBJECT_ADDITIONAL_PROPERTIES",
			fmt.Sprintf("/value/%d/display/description", i), "error", 15 + 9*i, 29,
			"FACTS 5 D18.1: Operation.display declares no description"})
	}
	// FACTS 5 APIM.2: Get, Create and Refresh examples lack the ETag header
	// the spec declares on 200/201 (a warning of ours; oav does not check).
	etag := "FACTS 5 APIM.2: declared ETag response header missing"
	for _, f := range []struct {
		file         string
		line, column int
	}{
		{"ApiManagementCreateCertificate.json", 16, 5}, // 201
		{"ApiManagementCreateCertificate.json", 28, 5}, // 200
		{"ApiManagementCreateCertificateWithKeyVault.json", 18, 5},
		{"ApiManagementCreateCertificateWithKeyVault.json", 38, 5},
		{"ApiManagementGetCertificate.json", 10, 5},
		{"ApiManagementGetCertificateWithKeyVault.json", 10, 5},
		{"ApiManagementRefreshCertificate.json", 10, 5},
	} {
		fs = append(fs, exampleFinding{apimExamples + f.file, "INVALID_RESPONSE_HEADER", "", "warning", f.line, f.column, etag})
	}
	return fs
}

// TestOfficialExamplesConformance lints the examples directories of the
// published specs, as a user would, and compares the findings with
// officialExampleFindings in both directions.
func TestOfficialExamplesConformance(t *testing.T) {
	needShared(t, azureSpecsDir)
	var dirs []string
	err := filepath.WalkDir(azureSpecsDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && d.Name() == "examples" {
			dirs = append(dirs, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(dirs)
	if len(dirs) != 3 {
		t.Fatalf("examples directories %v, want 3 (DPS 2018-01-22 and 2022-12-12, APIM 2024-05-01)", dirs)
	}
	rep, code := lintJSON(t, append([]string{"--no-config"}, dirs...)...)
	if code != exitFindings {
		t.Errorf("exit %d, want 1", code)
	}
	prefix := filepath.ToSlash(azureSpecsDir) + "/"
	perDir := map[string]int{}
	for _, f := range rep.Summary.PerFile {
		rel := strings.TrimPrefix(f.Path, prefix)
		perDir[path.Dir(rel)+"/"]++
		if f.Format != "example" || f.Error != "" {
			t.Errorf("%s: read as %q, error %q; want an example read completely", rel, f.Format, f.Error)
		}
	}
	if want := map[string]int{d18Examples: 19, d22Examples: 24, apimExamples: 8}; !equalCounts(perDir, want) {
		t.Errorf("example files per directory %v, want %v", perDir, want)
	}
	// Every example is an exchange per response; all but DPSUpdate.json
	// resolve to their operation.
	if s := rep.Summary; s.Files != 51 || s.Exchanges != 67 || s.Matched != 66 || s.Skipped != 0 || s.FilesWithErrors != 0 {
		t.Errorf("summary: %d files, %d exchanges, %d matched, %d skipped, %d unreadable; want 51, 67, 66, 0, 0",
			s.Files, s.Exchanges, s.Matched, s.Skipped, s.FilesWithErrors)
	}

	want := map[string]string{}
	for _, f := range officialExampleFindings() {
		if _, dup := want[f.key()]; dup {
			t.Fatalf("pinned twice: %s", f.key())
		}
		want[f.key()] = f.reason
	}
	got := map[string]jsonFinding{}
	for _, f := range rep.Findings {
		ef := exampleFinding{file: strings.TrimPrefix(f.File, prefix), code: f.Code, pointer: f.Pointer, severity: f.Severity, line: f.Line, column: f.Column}
		if _, dup := got[ef.key()]; dup {
			t.Errorf("reported twice: %s", ef.key())
		}
		got[ef.key()] = f
	}
	for k, f := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected finding (not in the examples per FACTS.md): %s: %s", k, f.Message)
		}
	}
	for k, reason := range want {
		if _, ok := got[k]; !ok {
			t.Errorf("missing finding: %s (%s)", k, reason)
		}
	}
	if len(rep.Findings) != 48 || rep.Summary.Errors != 41 || rep.Summary.Warnings != 7 || rep.Summary.Infos != 0 {
		t.Errorf("%d findings (%d errors, %d warnings, %d info), want 48 (41, 7, 0)",
			len(rep.Findings), rep.Summary.Errors, rep.Summary.Warnings, rep.Summary.Infos)
	}
}

// recordingEntry is what TestRecordings reads itself from a recording, to
// check the linter's verdicts independently.
type recordingEntry struct {
	RequestURI    string `json:"RequestUri"`
	RequestMethod string `json:"RequestMethod"`
	StatusCode    int    `json:"StatusCode"`
}

func readRecording(t *testing.T, file string) []recordingEntry {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Entries []recordingEntry }
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return doc.Entries
}

// recordingVerdict pins what the linter says about one recording.
type recordingVerdict struct {
	exchanges, matched int
	code               int            // exit code
	codes              map[string]int // "CODE severity" -> count
	skips              map[string]int // skip reason -> count
}

// TestRecordings lints every real recording in ../shared/recordings. None
// may be a usage or I/O error (exit 2). As recorded, nothing is validated
// against a body: the covered resources are called at api-versions that are
// not embedded (API_VERSION_NOT_SUPPORTED naming the version), the other
// calls (subscription, resource group, api-version "**"; the APIM service
// list at 2025-03-01-preview, a resource no contract covers) are skipped with
// their reason. Each verdict is also checked against the entries read here.
func TestRecordings(t *testing.T) {
	needShared(t, recordingsDir)
	want := map[string]recordingVerdict{
		"net-dps-DpsCertificateOperations.json": {exchanges: 15, matched: 0, code: 1,
			codes: map[string]int{"API_VERSION_NOT_SUPPORTED error": 13, "OPERATION_NOT_FOUND info": 2},
			skips: map[string]int{"no contract for subscriptions (Microsoft.Resources)": 1, "no contract for resource groups (Microsoft.Resources)": 1}},
		"net-apim-CertificateTests-CRUD.excerpt.json": {exchanges: 6, matched: 0, code: 1,
			codes: map[string]int{"API_VERSION_NOT_SUPPORTED error": 6}, skips: map[string]int{}},
		"py-apim-service-list-by-resource-group.json": {exchanges: 1, matched: 0, code: 0,
			codes: map[string]int{"OPERATION_NOT_FOUND info": 1},
			skips: map[string]int{"no contract for Microsoft.ApiManagement/service": 1}},
	}
	files, err := filepath.Glob(filepath.Join(recordingsDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(want) {
		t.Errorf("recordings %v, want %d files", files, len(want))
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			w, ok := want[name]
			if !ok {
				t.Fatalf("no verdict pinned for %s", name)
			}
			rep, code := lintJSON(t, "--no-config", file)
			checkVerdict(t, rep, code, w)
			// Every entry is one exchange with exactly one routing
			// finding, which the entry's own api-version explains.
			entries := readRecording(t, file)
			byExchange := map[int][]jsonFinding{}
			for _, f := range rep.Findings {
				byExchange[f.Exchange] = append(byExchange[f.Exchange], f)
			}
			for i, e := range entries {
				u, err := url.Parse(e.RequestURI)
				if err != nil {
					t.Fatal(err)
				}
				version := u.Query().Get("api-version")
				fs := byExchange[i+1]
				if len(fs) != 1 {
					t.Errorf("entry %d (%s %s): %d findings, want 1", i+1, e.RequestMethod, e.RequestURI, len(fs))
					continue
				}
				f := fs[0]
				switch {
				case version == "**" || version == "2025-03-01-preview":
					// Sanitized or preview version on a resource no
					// contract covers: skipped, whatever the version.
					if f.Code != "OPERATION_NOT_FOUND" || f.Severity != "info" {
						t.Errorf("entry %d at api-version %q: %s %s, want OPERATION_NOT_FOUND info", i+1, version, f.Severity, f.Code)
					}
				case version == "2022-02-05" || version == "2021-08-01":
					if f.Code != "API_VERSION_NOT_SUPPORTED" || !strings.Contains(f.Message, `"`+version+`"`) {
						t.Errorf("entry %d at api-version %q: %s %q, want API_VERSION_NOT_SUPPORTED naming the version", i+1, version, f.Code, f.Message)
					}
				default:
					t.Errorf("entry %d: unexpected api-version %q", i+1, version)
				}
			}
		})
	}
	// The whole directory at once: same totals, nothing unreadable.
	rep, code := lintJSON(t, "--no-config", recordingsDir)
	if code != exitFindings || rep.Summary.Files != 3 || rep.Summary.Exchanges != 22 || rep.Summary.Skipped != 3 || rep.Summary.FilesWithErrors != 0 {
		t.Errorf("directory: exit %d, %+v", code, rep.Summary)
	}
}

func checkVerdict(t *testing.T, rep jsonReport, code int, w recordingVerdict) {
	t.Helper()
	if code == exitError {
		t.Fatalf("exit 2")
	}
	if code != w.code {
		t.Errorf("exit %d, want %d", code, w.code)
	}
	s := rep.Summary
	if s.Files != 1 || s.FilesWithErrors != 0 || len(s.PerFile) != 1 || s.PerFile[0].Format != "recording" {
		t.Errorf("summary %+v: want one recording read completely", s)
	}
	if s.Exchanges != w.exchanges || s.Matched != w.matched {
		t.Errorf("%d exchanges, %d matched; want %d, %d", s.Exchanges, s.Matched, w.exchanges, w.matched)
	}
	if got := countCodes(rep.Findings); !equalCounts(got, w.codes) {
		t.Errorf("findings per code %v, want %v", got, w.codes)
	}
	skips := map[string]int{}
	for _, r := range s.SkipReasons {
		skips[r.Reason] = r.Count
	}
	if !equalCounts(skips, w.skips) {
		t.Errorf("skip reasons %v, want %v", skips, w.skips)
	}
}

// TestRecordingsAtEmbeddedVersions replays the recordings with their
// api-versions moved to the embedded ones (DPS 2022-02-05 -> 2022-12-12,
// APIM 2021-08-01 -> 2024-05-01), so that real traffic is validated against
// the contracts, and pins what real traffic breaks:
//   - "Sanitized" placeholders where the contract says format byte (the
//     DPS certificate in the PUT request, its response, both GETs and the
//     list) are INVALID_FORMAT: the sanitizer's doing, not the service's;
//   - the DPS polling URLs (the service's own Location) end in "&asyncinfo"
//     with no value: the required parameter is present, so they are clean;
//   - 404 responses (a GET after DELETE) are covered by the default
//     response and clean; so are the APIM CRUD calls.
func TestRecordingsAtEmbeddedVersions(t *testing.T) {
	needShared(t, recordingsDir)
	dir := t.TempDir()
	files, _ := filepath.Glob(filepath.Join(recordingsDir, "*.json"))
	notFound := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s := strings.NewReplacer("api-version=2022-02-05", "api-version=2022-12-12", "api-version=2021-08-01", "api-version=2024-05-01").Replace(string(data))
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, e := range readRecording(t, f) {
			if e.StatusCode == 404 {
				notFound++
			}
		}
	}
	if notFound != 2 {
		t.Errorf("%d recorded 404 responses, want 2 (DPS and APIM GET after DELETE)", notFound)
	}
	want := map[string]struct {
		recordingVerdict
		findings []string // "exchange code pointer-or-name"
	}{
		"net-dps-DpsCertificateOperations.json": {recordingVerdict{exchanges: 15, matched: 13, code: 1,
			codes: map[string]int{"OPERATION_NOT_FOUND info": 2, "INVALID_FORMAT error": 5},
			skips: map[string]int{"no contract for subscriptions (Microsoft.Resources)": 1, "no contract for resource groups (Microsoft.Resources)": 1}},
			[]string{
				"1 OPERATION_NOT_FOUND ",                            // GET subscription, api-version **
				"2 OPERATION_NOT_FOUND ",                            // PUT resource group, api-version **
				"10 INVALID_FORMAT /properties/certificate",         // PUT request "Sanitized"
				"10 INVALID_FORMAT /properties/certificate",         // PUT response "Sanitized"
				"11 INVALID_FORMAT /properties/certificate",         // GET
				"12 INVALID_FORMAT /properties/certificate",         // GET
				"13 INVALID_FORMAT /value/0/properties/certificate", // list
			}},
		"net-apim-CertificateTests-CRUD.excerpt.json": {recordingVerdict{exchanges: 6, matched: 6, code: 0,
			codes: map[string]int{}, skips: map[string]int{}}, nil},
		"py-apim-service-list-by-resource-group.json": {recordingVerdict{exchanges: 1, matched: 0, code: 0,
			codes: map[string]int{"OPERATION_NOT_FOUND info": 1},
			skips: map[string]int{"no contract for Microsoft.ApiManagement/service": 1}},
			[]string{"1 OPERATION_NOT_FOUND "}},
	}
	for name, w := range want {
		t.Run(name, func(t *testing.T) {
			rep, code := lintJSON(t, "--no-config", filepath.Join(dir, name))
			checkVerdict(t, rep, code, w.recordingVerdict)
			var got []string
			for _, f := range rep.Findings {
				where := f.Pointer
				if where == "" {
					where = f.Name
				}
				got = append(got, fmt.Sprintf("%d %s %s", f.Exchange, f.Code, where))
			}
			sort.Strings(got)
			wantList := append([]string(nil), w.findings...)
			sort.Strings(wantList)
			if strings.Join(got, "\n") != strings.Join(wantList, "\n") {
				t.Errorf("findings:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantList, "\n"))
			}
			for _, f := range rep.Findings {
				if f.Code == "INVALID_FORMAT" && !strings.Contains(f.Message, `"Sanitized"`) {
					t.Errorf("INVALID_FORMAT not about a sanitized value: %s", f.Message)
				}
			}
		})
	}
}
