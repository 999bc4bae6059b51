package lint

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestJSONEmptyListsAreArrays(t *testing.T) {
	for _, r := range []*Report{nil, {}, {Findings: []FileFinding{}}} {
		out := render(t, JSON, r)
		var doc struct {
			Findings json.RawMessage `json:"findings"`
			Summary  struct {
				SkipReasons json.RawMessage `json:"skipReasons"`
				PerFile     json.RawMessage `json:"perFile"`
			} `json:"summary"`
		}
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatalf("%v in:\n%s", err, out)
		}
		for name, raw := range map[string]json.RawMessage{
			"findings":            doc.Findings,
			"summary.skipReasons": doc.Summary.SkipReasons,
			"summary.perFile":     doc.Summary.PerFile,
		} {
			if string(raw) != "[]" {
				t.Errorf("%s = %s, want []", name, raw)
			}
		}
	}
}

func TestJSONFindingFields(t *testing.T) {
	r := formatReport()
	out := render(t, JSON, r)
	var doc struct {
		Findings []map[string]any `json:"findings"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != len(r.Findings) {
		t.Fatalf("%d findings, want %d", len(doc.Findings), len(r.Findings))
	}
	for i, f := range doc.Findings {
		for _, key := range []string{"code", "severity", "file", "line", "column", "pointer", "operationId", "apiVersion", "message"} {
			if _, ok := f[key]; !ok {
				t.Errorf("finding %d lacks %q: %v", i, key, f)
			}
		}
	}
	var first map[string]any
	for _, f := range doc.Findings {
		if f["code"] == "READONLY_PROPERTY_NOT_ALLOWED_IN_REQUEST" {
			first = f
		}
	}
	want := map[string]any{
		"code": "READONLY_PROPERTY_NOT_ALLOWED_IN_REQUEST", "severity": "error", "direction": "request", "in": "body",
		"name": "subject", "pointer": "/properties/subject", "message": hostileMessage,
		"file": "testdata/examples/Certificate_CreateOrUpdate.json", "line": 7.0, "column": 20.0, "exchange": 1.0,
		"operationId": "Certificate_CreateOrUpdate", "apiVersion": "2024-05-01",
	}
	for k, v := range want {
		if first[k] != v {
			t.Errorf("finding %s = %#v, want %#v", k, first[k], v)
		}
	}
	if strings.Contains(string(out), `\u003c`) {
		t.Error("< is HTML-escaped; the report is not HTML")
	}
}
