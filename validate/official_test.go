package validate_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/contractlint/contractlint/lint"
	"github.com/contractlint/contractlint/spec"
	"github.com/contractlint/contractlint/validate"
)

var officialSpecs = filepath.Join("..", "..", "shared", "azure-specs")

// officialFiles are the published Swagger files our contracts come from.
var officialFiles = []string{
	"deviceprovisioningservices/resource-manager/Microsoft.Devices/stable/2018-01-22/iotdps.json",
	"deviceprovisioningservices/resource-manager/Microsoft.Devices/stable/2022-12-12/iotdps.json",
	"apimanagement/resource-manager/Microsoft.ApiManagement/stable/2024-05-01/apimcertificates.json",
}

// TestDifferentialAgainstOfficialContracts loads the official Swagger files
// next to the embedded contracts and checks that both give the same verdict
// (codes, severities, parts, names and pointers) on the official examples and
// on at least 1,000 mutants of them.
func TestDifferentialAgainstOfficialContracts(t *testing.T) {
	if _, err := os.Stat(officialSpecs); err != nil {
		t.Skipf("official Azure specs not found at %s (a fresh clone has no ../shared); skipping the differential check", officialSpecs)
	}
	var contracts []*spec.Contract
	for _, f := range officialFiles {
		c, err := spec.LoadFile(filepath.Join(officialSpecs, f))
		if err != nil {
			t.Fatalf("loading %s: %v", f, err)
		}
		contracts = append(contracts, c)
	}
	offReg, err := spec.NewRegistry(contracts...)
	if err != nil {
		t.Fatal(err)
	}
	official, err := validate.New(offReg)
	if err != nil {
		t.Fatal(err)
	}
	embReg, err := spec.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := validate.New(embReg)
	if err != nil {
		t.Fatal(err)
	}

	seeds := exampleExchanges(t, embReg)
	if len(seeds) < 40 {
		t.Fatalf("only %d seed exchanges from the official examples", len(seeds))
	}
	rng := rand.New(rand.NewPCG(2026, 11))
	compared, findings := 0, 0
	compare := func(label string, ex *validate.Exchange) {
		compared++
		a := verdict(official.Validate(ex))
		b := verdict(embedded.Validate(ex))
		findings += len(a)
		if strings.Join(a, "\n") != strings.Join(b, "\n") {
			t.Errorf("%s: official and embedded contracts disagree\nofficial:\n  %s\nembedded:\n  %s", label, strings.Join(a, "\n  "), strings.Join(b, "\n  "))
		}
	}
	for _, s := range seeds {
		compare(s.name, &s.ex)
	}
	for compared < 1000+len(seeds) {
		s := seeds[rng.IntN(len(seeds))]
		m, what := mutate(rng, s.ex)
		compare(s.name+" / "+what, &m)
	}
	if findings == 0 {
		t.Error("no mutant produced a finding: the mutations are not reaching the validator")
	}
	t.Logf("%d exchanges compared (%d official examples), %d findings", compared, len(seeds), findings)
}

type seed struct {
	name string
	ex   validate.Exchange
}

// exampleExchanges reads every official example into exchanges that carry a
// request (for routing) and a response.
func exampleExchanges(t *testing.T, reg *spec.Registry) []seed {
	var out []seed
	err := filepath.WalkDir(officialSpecs, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Base(filepath.Dir(p)) != "examples" {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var first *validate.Request
		_ = lint.Read(lint.FormatExample, bytes.NewReader(data), lint.ReadOptions{Registry: reg}, func(x *lint.Exchange) {
			if x.Request == nil {
				return
			}
			if first == nil {
				first = x.Request
			}
			ex := validate.Exchange{Request: x.Request, Response: x.Response, ResponseOnly: x.ResponseOnly}
			out = append(out, seed{name: fmt.Sprintf("%s#%d", filepath.Base(p), x.Index), ex: ex})
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func verdict(r validate.Result) []string {
	out := []string{"operation " + r.OperationID + " " + r.APIVersion}
	for _, f := range r.Findings {
		out = append(out, fmt.Sprintf("%s %s %s %s %s %q", f.Code, f.Severity, f.Direction, f.Part, f.Name, f.Pointer))
	}
	sort.Strings(out[1:])
	return out
}

// mutate returns a copy of ex with one thing broken, and says what.
func mutate(rng *rand.Rand, ex validate.Exchange) (validate.Exchange, string) {
	m := ex
	if ex.Request != nil {
		r := *ex.Request
		m.Request = &r
	}
	if ex.Response != nil {
		r := *ex.Response
		m.Response = &r
	}
	switch k := rng.IntN(10); {
	case k == 0 && m.Response != nil:
		codes := []int{201, 202, 204, 299, 302, 418, 500}
		m.Response.StatusCode = codes[rng.IntN(len(codes))]
		return m, fmt.Sprintf("status %d", m.Response.StatusCode)
	case k == 1 && m.Request != nil:
		m.Request.URL = strings.Replace(m.Request.URL, "api-version=", "api-version=1999-", 1)
		return m, "api-version"
	case k == 2 && m.Request != nil && len(m.Request.Body) > 0:
		b, what := mutateBody(rng, m.Request.Body, true)
		m.Request.Body = b
		return m, "request " + what
	default:
		if m.Response != nil && len(m.Response.Body) > 0 {
			b, what := mutateBody(rng, m.Response.Body, false)
			m.Response.Body = b
			return m, "response " + what
		}
		if m.Request != nil && len(m.Request.Body) > 0 {
			b, what := mutateBody(rng, m.Request.Body, true)
			m.Request.Body = b
			return m, "request " + what
		}
		if m.Request != nil {
			m.Request.Method = []string{"PATCH", "POST", "HEAD", "DELETE"}[rng.IntN(4)]
			return m, "method " + m.Request.Method
		}
	}
	return m, "unchanged"
}

// mutateBody breaks one value of a JSON body: drops a property, changes a
// type, breaks an enum, a format or a pattern, adds an unknown property, or
// (in a request) adds a read-only one.
func mutateBody(rng *rand.Rand, body []byte, request bool) ([]byte, string) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return body, "unparsable"
	}
	var paths [][]any
	var walk func(x any, path []any)
	walk = func(x any, path []any) {
		paths = append(paths, append([]any(nil), path...))
		switch t := x.(type) {
		case map[string]any:
			for k, c := range t {
				walk(c, append(path, k))
			}
		case []any:
			for i, c := range t {
				walk(c, append(path, i))
			}
		}
	}
	walk(v, nil)
	sort.Slice(paths, func(i, j int) bool { return fmt.Sprint(paths[i]) < fmt.Sprint(paths[j]) })
	target := paths[rng.IntN(len(paths))]
	what := ""
	v = edit(v, target, func(x any) (any, bool) {
		switch rng.IntN(7) {
		case 0:
			what = "drop"
			return nil, false
		case 1:
			what = "type"
			switch x.(type) {
			case string:
				return json.Number("12345"), true
			case map[string]any, []any:
				return "oops", true
			default:
				return "oops", true
			}
		case 2:
			what = "enum/case"
			if s, ok := x.(string); ok {
				if rng.IntN(2) == 0 {
					return strings.ToLower(s), true
				}
				return s + "x", true
			}
			return x, true
		case 3:
			what = "format"
			return []string{"####", "not-a-date", "2039-13-45T99:00:00Z", "Mon, 99 Foo 2039", "-abc", "123"}[rng.IntN(6)], true
		case 4:
			what = "unknown property"
			if o, ok := x.(map[string]any); ok {
				o["zzUnknown"] = true
			}
			return x, true
		case 5:
			what = "null"
			return nil, true
		default:
			what = "read-only in request"
			if o, ok := x.(map[string]any); ok && request {
				o["id"] = "/subscriptions/x"
				o["type"] = "t"
			}
			return x, true
		}
	})
	out, err := json.Marshal(v)
	if err != nil {
		return body, "unencodable"
	}
	return out, what + " at " + fmt.Sprint(target)
}

// edit applies f to the value at path; f returning keep=false deletes it.
func edit(v any, path []any, f func(any) (any, bool)) any {
	if len(path) == 0 {
		nv, keep := f(v)
		if !keep {
			return map[string]any{}
		}
		return nv
	}
	switch t := v.(type) {
	case map[string]any:
		k := path[0].(string)
		if len(path) == 1 {
			nv, keep := f(t[k])
			if keep {
				t[k] = nv
			} else {
				delete(t, k)
			}
			return t
		}
		t[k] = edit(t[k], path[1:], f)
	case []any:
		i := path[0].(int)
		if len(path) == 1 {
			nv, keep := f(t[i])
			if keep {
				t[i] = nv
			} else {
				t = append(t[:i], t[i+1:]...)
			}
			return t
		}
		t[i] = edit(t[i], path[1:], f)
		return t
	}
	return v
}
