package lint

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/contractlint/contractlint/validate"
)

// sarifSchemaPath is the official SARIF 2.1.0 schema, kept in the shared
// folder beside the repository.
const sarifSchemaPath = "../../shared/sarif/sarif-schema-2.1.0.json"

func TestSARIFValidatesAgainstSchema(t *testing.T) {
	raw, err := os.ReadFile(sarifSchemaPath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("SARIF schema not found at %s; SARIF output not validated", sarifSchemaPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft4
	c.AssertFormat = true
	const url = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	if err := c.AddResource(url, bytes.NewReader(raw)); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	reports := map[string]*Report{"full": formatReport(), "empty": {}}
	for name, r := range reports {
		t.Run(name, func(t *testing.T) {
			var inst any
			if err := json.Unmarshal(render(t, SARIF, r), &inst); err != nil {
				t.Fatal(err)
			}
			if err := schema.Validate(inst); err != nil {
				t.Errorf("SARIF output is not valid SARIF 2.1.0: %v", err)
			}
			// The schema is really enforced: a wrong version is rejected.
			inst.(map[string]any)["version"] = "2.0.0"
			if schema.Validate(inst) == nil {
				t.Error("schema accepted SARIF version 2.0.0")
			}
		})
	}
}

// sarifDoc is the part of a SARIF log the tests read back.
type sarifDoc struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID                   string `json:"id"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Artifacts []struct {
			Location struct {
				URI string `json:"uri"`
			} `json:"location"`
		} `json:"artifacts"`
		Results []struct {
			RuleID              string            `json:"ruleId"`
			RuleIndex           int               `json:"ruleIndex"`
			Level               string            `json:"level"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Locations           []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI   string `json:"uri"`
						Index int    `json:"index"`
					} `json:"artifactLocation"`
				} `json:"physicalLocation"`
			} `json:"locations"`
		} `json:"results"`
	} `json:"runs"`
}

func decodeSARIF(t *testing.T, r *Report) sarifDoc {
	t.Helper()
	var doc sarifDoc
	if err := json.Unmarshal(render(t, SARIF, r), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(doc.Runs))
	}
	return doc
}

func TestSARIFRulesAndIndexes(t *testing.T) {
	r := formatReport()
	r.Findings = append(r.Findings, FileFinding{
		Finding: validate.Finding{Code: "NOT_IN_REGISTRY", Severity: validate.Warning, Message: "m"},
		File:    "testdata/traffic/dps.har", Line: 1, Column: 1,
	})
	run := decodeSARIF(t, r).Runs[0]
	rules := run.Tool.Driver.Rules
	registry := validate.Rules()
	if len(rules) != len(registry)+1 {
		t.Fatalf("%d rules, want the %d of the registry and one unknown", len(rules), len(registry))
	}
	for i, rule := range registry {
		if rules[i].ID != rule.Code || rules[i].DefaultConfiguration.Level != sarifLevel(rule.Severity) {
			t.Errorf("rule %d = %+v, want %s at %s", i, rules[i], rule.Code, sarifLevel(rule.Severity))
		}
	}
	levels := map[validate.Severity]string{validate.Error: "error", validate.Warning: "warning", validate.Info: "note"}
	n, _ := normalize(r)
	for i, res := range run.Results {
		if rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %d: ruleIndex %d names %s, not %s", i, res.RuleIndex, rules[res.RuleIndex].ID, res.RuleID)
		}
		if want := levels[n.Findings[i].Severity]; res.Level != want {
			t.Errorf("result %d: level %q, want %q", i, res.Level, want)
		}
		loc := res.Locations[0].PhysicalLocation.ArtifactLocation
		if run.Artifacts[loc.Index].Location.URI != loc.URI {
			t.Errorf("result %d: artifact %d is %s, not %s", i, loc.Index, run.Artifacts[loc.Index].Location.URI, loc.URI)
		}
	}
	if len(run.Artifacts) != 7 {
		t.Errorf("%d artifacts, want the 7 files", len(run.Artifacts))
	}
}

func TestSARIFFingerprints(t *testing.T) {
	base := FileFinding{
		Finding: validate.Finding{
			Code: validate.CodeEnumMismatch, Severity: validate.Error, Direction: validate.InRequest,
			Part: validate.PartBody, Pointer: "/properties/allocationPolicy", Message: `"Hash" is not one of ...`,
		},
		File: "a.har", Line: 12, Column: 25, Exchange: 1, OperationID: "IotDpsResource_CreateOrUpdate", APIVersion: "2022-12-12",
	}
	fingerprintOf := func(fs ...FileFinding) []string {
		var out []string
		for _, res := range decodeSARIF(t, &Report{Findings: fs}).Runs[0].Results {
			out = append(out, res.PartialFingerprints[fingerprintKey])
		}
		return out
	}
	want := fingerprintOf(base)[0]
	if !strings.HasSuffix(want, ":1") || len(want) != 64+2 {
		t.Errorf("fingerprint %q, want 64 hex digits and :1", want)
	}

	moved := base
	moved.Line, moved.Column, moved.Exchange, moved.Message = 80, 3, 5, "reworded"
	if got := fingerprintOf(moved)[0]; got != want {
		t.Errorf("fingerprint changed when the finding moved or was reworded: %s, want %s", got, want)
	}

	for name, change := range map[string]func(*FileFinding){
		"file":        func(f *FileFinding) { f.File = "b.har" },
		"code":        func(f *FileFinding) { f.Code = validate.CodeEnumCaseMismatch },
		"pointer":     func(f *FileFinding) { f.Pointer = "/properties/other" },
		"operationId": func(f *FileFinding) { f.OperationID = "Other" },
		"direction":   func(f *FileFinding) { f.Direction = validate.InResponse },
	} {
		other := base
		change(&other)
		if got := fingerprintOf(other)[0]; got == want {
			t.Errorf("fingerprint ignores the %s", name)
		}
	}

	second := base
	second.Line, second.Exchange = 90, 2
	got := fingerprintOf(base, second)
	if got[0] != want || got[1] != strings.TrimSuffix(want, "1")+"2" {
		t.Errorf("repeated finding fingerprints %q, want %s and the same hash with :2", got, want)
	}
}

func TestSARIFArtifactLocation(t *testing.T) {
	tests := []struct {
		path, uri, base string
	}{
		{"testdata/a.json", "testdata/a.json", srcRoot},
		{"./testdata/a.json", "testdata/a.json", srcRoot},
		{"testdata/zertifikat größe.json", "testdata/zertifikat%20gr%C3%B6%C3%9Fe.json", srcRoot},
		{"a:b,c#d?e%f.json", "a%3Ab%2Cc%23d%3Fe%25f.json", srcRoot},
		{"../other/a.json", "../other/a.json", srcRoot},
		{"/home/me/a.json", "file:///home/me/a.json", ""},
		{"C:/work/a b.json", "file:///C:/work/a%20b.json", ""},
	}
	for _, tt := range tests {
		loc := newArtifactLocation(tt.path, -1)
		if loc.URI != tt.uri || loc.URIBaseID != tt.base || loc.Index != nil {
			t.Errorf("newArtifactLocation(%q) = %+v, want uri %q base %q", tt.path, loc, tt.uri, tt.base)
		}
	}
}

func TestCamelCase(t *testing.T) {
	tests := map[string]string{
		"OBJECT_MISSING_REQUIRED_PROPERTY": "ObjectMissingRequiredProperty",
		"PATTERN":                          "Pattern",
		"API_VERSION_NOT_SUPPORTED":        "ApiVersionNotSupported",
		"__ODD__CODE_":                     "OddCode",
	}
	for in, want := range tests {
		if got := camelCase(in); got != want {
			t.Errorf("camelCase(%q) = %q, want %q", in, got, want)
		}
	}
}
