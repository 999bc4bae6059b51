package lint

import (
	"bytes"
	"encoding/json"
	"errors"
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

// TestExampleOracleWithoutName reads the official examples without their
// file names: each resolves to its operation or is ambiguous among
// candidates that include it, never resolved to another operation.
func TestExampleOracleWithoutName(t *testing.T) {
	if _, err := os.Stat(sharedSpecs); err != nil {
		t.Skip("the published Swagger files are not available at " + sharedSpecs)
	}
	reg := embedded(t)
	for f, want := range exampleOracle(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		xs, err := readAll(t, FormatExample, data, ReadOptions{Registry: reg})
		if err != nil || len(xs) == 0 {
			t.Fatalf("%s: %v", f, err)
		}
		x := xs[0]
		switch {
		case x.Operation != nil:
			if x.OperationID != want {
				t.Errorf("%s: resolved to %q, want %q", f, x.OperationID, want)
			}
		case len(x.Problems) > 0 && x.Problems[len(x.Problems)-1].Code == validate.CodeAmbiguousOperation:
			if msg := x.Problems[len(x.Problems)-1].Message; !strings.Contains(msg, `"`+want+`"`) {
				t.Errorf("%s: ambiguous without %q: %s", f, want, msg)
			}
		default:
			t.Errorf("%s: %+v", f, x.Problems)
		}
	}
}

func TestReadExample(t *testing.T) {
	data := readFixture(t, "example-cert-put.json")
	xs, err := readAll(t, FormatExample, data, ReadOptions{Registry: embedded(t), Name: "testdata/inputs/example-cert-put.json"})
	checkInvariants(t, data, xs, err)
	if err != nil || len(xs) != 2 {
		t.Fatalf("%d exchanges, %v", len(xs), err)
	}
	at := func(sub string) Pos { return filePos(data, bytes.Index(data, []byte(sub))) }
	x := xs[0]
	if x.Operation == nil || x.OperationID != "DpsCertificate_CreateOrUpdate" || x.APIVersion != "2022-12-12" || x.ResponseOnly {
		t.Fatalf("resolved to %q %q", x.OperationID, x.APIVersion)
	}
	wantURL := "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.Devices/provisioningServices/dps%201/certificates/root-cert?api-version=2022-12-12"
	if x.Request.Method != "PUT" || x.Request.URL != wantURL || x.Request.Header.Get("If-Match") != `"etag-1"` {
		t.Errorf("request: %s %s %v", x.Request.Method, x.Request.URL, x.Request.Header)
	}
	if x.RequestBody.Kind != BodyRaw || x.RequestBody.Start != at("{\n      \"properties\"") || !bytes.HasSuffix(x.Request.Body, []byte("}\n    }")) {
		t.Errorf("request body at %+v: %q", x.RequestBody.Start, x.Request.Body)
	}
	if x.Response.StatusCode != 200 || x.ResponseBody.Start != at("{\n        \"id\"") {
		t.Errorf("response 1: %d at %+v", x.Response.StatusCode, x.ResponseBody.Start)
	}
	if len(x.Problems) != 1 || x.Problems[0].Code != validate.CodeInvalidInput || x.Problems[0].Pos != at(`"default"`) {
		t.Errorf("problems: %+v", x.Problems)
	}
	for k, sub := range map[string]string{
		SpotKey(validate.InRequest, validate.PartPath, "provisioningServiceName"): `"dps 1"`,
		SpotKey(validate.InRequest, validate.PartQuery, "api-version"):            `"2022-12-12"`,
		SpotKey(validate.InRequest, validate.PartHeader, "If-Match"):              `"\"etag-1\""`,
		SpotKey(validate.InResponse, validate.PartStatus, ""):                     `"200"`,
	} {
		if got, want := x.Spots[k], at(sub); got != want {
			t.Errorf("spot %s = %+v, want %+v", k, got, want)
		}
	}
	x2 := xs[1]
	if !x2.ResponseOnly || x2.Request != x.Request || x2.Response.StatusCode != 404 || x2.Response.Header.Get("x-ms-request-id") != "abc" || x2.Pos != at(`"404"`) {
		t.Errorf("response 2: %+v", x2)
	}
	if got := x2.Spots[SpotKey(validate.InResponse, validate.PartHeader, "x-ms-request-id")]; got != at(`"abc"`) {
		t.Errorf("header spot %+v", got)
	}
}

func TestReadExampleResolution(t *testing.T) {
	reg := embedded(t)
	tests := []struct {
		fixture, name string
		po            PayloadOptions
		op            string // resolved operation, or
		code          string // the problem
		msg           string // part of its message
	}{
		{"example-ambiguous.json", "", PayloadOptions{}, "", validate.CodeAmbiguousOperation,
			`"DpsCertificate_List", "IotDpsResource_Get", "IotDpsResource_ListKeys", "IotDpsResource_listValidSkus"`},
		{"example-ambiguous.json", "DPSGet.json", PayloadOptions{}, "IotDpsResource_Get", "", ""},
		{"example-ambiguous.json", `C:\specs\DPSListKeys.json`, PayloadOptions{}, "IotDpsResource_ListKeys", "", ""},
		{"example-ambiguous.json", "", PayloadOptions{OperationID: "IotDpsResource_Delete"}, "IotDpsResource_Delete", "", ""},
		{"example-ambiguous.json", "", PayloadOptions{OperationID: "IotDpsResource_Delete", APIVersion: "2017-01-01"}, "IotDpsResource_Delete", "", ""},
		{"example-no-version.json", "", PayloadOptions{OperationID: "Operations_List", APIVersion: "2017-01-01"}, "", validate.CodeUnresolvedOperation, "not embedded"},
		{"example-no-version.json", "", PayloadOptions{OperationID: "IotDpsResource_ListByResourceGroup", APIVersion: "2018-01-22"}, "IotDpsResource_ListByResourceGroup", "", ""},
		{"example-operationid.json", "", PayloadOptions{OperationID: "Certificate_Get"}, "Certificate_Delete", "", ""},
		{"example-no-version.json", "", PayloadOptions{}, "", validate.CodeUnresolvedOperation, `no "api-version" parameter`},
		{"example-no-version.json", "", PayloadOptions{APIVersion: "1999-01-01"}, "", validate.CodeUnresolvedOperation, `api-version "1999-01-01" is not embedded; embedded: 2018-01-22, 2022-12-12, 2024-05-01`},
		{"example-operationid.json", "", PayloadOptions{}, "Certificate_Delete", "", ""},
	}
	for _, tt := range tests {
		data := readFixture(t, tt.fixture)
		xs, err := readAll(t, FormatExample, data, ReadOptions{Registry: reg, Name: tt.name, Payload: tt.po})
		checkInvariants(t, data, xs, err)
		if err != nil || len(xs) == 0 {
			t.Fatalf("%s: %v", tt.fixture, err)
		}
		x := xs[0]
		if tt.op != "" {
			if x.OperationID != tt.op {
				t.Errorf("%s %s: resolved to %q (%+v), want %q", tt.fixture, tt.name, x.OperationID, x.Problems, tt.op)
			}
			continue
		}
		if x.Operation != nil || x.Request != nil || len(x.Problems) != 1 || x.Problems[0].Code != tt.code || !strings.Contains(x.Problems[0].Message, tt.msg) {
			t.Errorf("%s %s: %+v, want %s %q", tt.fixture, tt.name, x.Problems, tt.code, tt.msg)
		}
	}
}

func TestReadExampleOperationID(t *testing.T) {
	data := readFixture(t, "example-operationid.json")
	xs, err := readAll(t, FormatExample, data, ReadOptions{Registry: embedded(t)})
	checkInvariants(t, data, xs, err)
	if err != nil || len(xs) != 2 {
		t.Fatalf("%d exchanges, %v", len(xs), err)
	}
	want := "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apim1/certificates/cert%2F1?api-version=2024-05-01"
	for i, status := range []int{200, 204} {
		x := xs[i]
		if x.Request.Method != "DELETE" || x.Request.URL != want || x.Request.Header.Get("If-Match") != "*" || x.Response.StatusCode != status || x.Response.Body != nil {
			t.Errorf("exchange %d: %s %s %d", i+1, x.Request.Method, x.Request.URL, x.Response.StatusCode)
		}
	}
}

func TestReadExampleBadFiles(t *testing.T) {
	tests := []struct{ data, msg string }{
		{`[]`, "not an x-ms-examples file: the top-level value is an array, expected an object with parameters and responses"},
		{`{"responses": {}}`, `not an x-ms-examples file: no "parameters" object`},
		{`{"parameters": 1}`, `"parameters" is a number, expected an object`},
	}
	for _, tt := range tests {
		_, err := readAll(t, FormatExample, []byte(tt.data), ReadOptions{Registry: embedded(t)})
		var ie *InputError
		if !errors.As(err, &ie) || ie.Code != validate.CodeInvalidInput || ie.Message != tt.msg {
			t.Errorf("%s: %v", tt.data, err)
		}
	}
	// Structure problems inside responses are problems of the exchange.
	data := []byte(`{"parameters": {"api-version": "2022-12-12"}, "responses": {"200": 1, "abc": {}, "201": {"headers": 2}}}`)
	xs, err := readAll(t, FormatExample, data, ReadOptions{Registry: embedded(t), Payload: PayloadOptions{OperationID: "Operations_List"}})
	checkInvariants(t, data, xs, err)
	if err != nil || len(xs) != 1 || len(xs[0].Problems) != 3 || xs[0].Response.StatusCode != 201 {
		t.Fatalf("%v %+v", err, xs)
	}
}

func FuzzReadExample(f *testing.F) {
	f.Add([]byte(`{"operationId": "DpsCertificate_Get", "parameters": {"api-version": "2022-12-12", "certificateName": [1, "a/b"]}, "responses": {"200": {"headers": {"a": 1}, "body": null}}}`))
	fuzzRead(f, FormatExample, "example-cert-put.json", "example-ambiguous.json", "example-no-version.json", "example-operationid.json")
}
