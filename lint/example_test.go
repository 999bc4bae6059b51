package lint

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/contractlint/contractlint/spec"
	"github.com/contractlint/contractlint/validate"
)

// sharedSpecs is the directory of the published Swagger files and their
// examples, outside the repository.
const sharedSpecs = "../../shared/azure-specs"

func embedded(t testing.TB) *spec.Registry {
	t.Helper()
	reg, err := spec.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// readAll reads data in format and returns the exchanges and the error.
func readAll(t testing.TB, format Format, data []byte, opts ReadOptions) ([]*Exchange, error) {
	t.Helper()
	var out []*Exchange
	err := Read(format, bytes.NewReader(data), opts, func(x *Exchange) { out = append(out, x) })
	for i, x := range out {
		if x.Index != i+1 {
			t.Fatalf("exchange %d has Index %d", i+1, x.Index)
		}
	}
	return out, err
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "inputs", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// exampleOracle maps each example file (absolute, cleaned path) to the
// operationId whose x-ms-examples reference it, read from the Swagger files.
func exampleOracle(t *testing.T) map[string]string {
	t.Helper()
	oracle := map[string]string{}
	err := filepath.WalkDir(sharedSpecs, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || filepath.Ext(p) != ".json" || strings.Contains(filepath.ToSlash(p), "/examples/") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var doc struct {
			Paths map[string]map[string]json.RawMessage `json:"paths"`
		}
		if json.Unmarshal(data, &doc) != nil {
			return nil
		}
		for _, item := range doc.Paths {
			for _, raw := range item {
				var op struct {
					OperationID string `json:"operationId"`
					Examples    map[string]struct {
						Ref string `json:"$ref"`
					} `json:"x-ms-examples"`
				}
				if json.Unmarshal(raw, &op) != nil {
					continue
				}
				for _, ex := range op.Examples {
					oracle[filepath.Clean(filepath.Join(filepath.Dir(p), ex.Ref))] = op.OperationID
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return oracle
}

// TestExampleOracle reads every official example and checks that it
// resolves to the operation whose Swagger x-ms-examples reference it.
func TestExampleOracle(t *testing.T) {
	if _, err := os.Stat(sharedSpecs); err != nil {
		t.Skip("the published Swagger files are not available at " + sharedSpecs)
	}
	oracle := exampleOracle(t)
	if len(oracle) == 0 {
		t.Fatal("no x-ms-examples found in the Swagger files")
	}
	reg := embedded(t)
	var files []string
	_ = filepath.WalkDir(sharedSpecs, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Base(filepath.Dir(p)) == "examples" && filepath.Ext(p) == ".json" {
			files = append(files, filepath.Clean(p))
		}
		return nil
	})
	if len(files) < 40 {
		t.Fatalf("found only %d example files", len(files))
	}
	for _, f := range files {
		t.Run(strings.TrimPrefix(filepath.ToSlash(f), sharedSpecs+"/"), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if got := DetectFormat(f, data); got != FormatExample {
				t.Errorf("DetectFormat = %q, want example", got)
			}
			xs, err := readAll(t, FormatExample, data, ReadOptions{Registry: reg, Name: f})
			if err != nil {
				t.Fatal(err)
			}
			if len(xs) == 0 {
				t.Fatal("no exchange")
			}
			want, ok := oracle[f]
			if !ok {
				// No operation references the file (DPS 2018-01-22
				// DPSUpdate.json): it must not resolve to anything.
				if xs[0].Operation != nil || len(xs[0].Problems) == 0 {
					t.Fatalf("unreferenced example resolved to %q", xs[0].OperationID)
				}
				code := xs[0].Problems[len(xs[0].Problems)-1].Code
				if code != validate.CodeUnresolvedOperation && code != validate.CodeAmbiguousOperation {
					t.Fatalf("unreferenced example: problem %s, want UNRESOLVED or AMBIGUOUS", code)
				}
				t.Logf("%s: %s", code, xs[0].Problems[len(xs[0].Problems)-1].Message)
				return
			}
			for _, x := range xs {
				if x.Operation == nil {
					t.Fatalf("not resolved: %+v", x.Problems)
				}
				if x.OperationID != want {
					t.Fatalf("resolved to %q, want %q", x.OperationID, want)
				}
			}
		})
	}
}
