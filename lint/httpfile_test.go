package lint

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/contractlint/contractlint/validate"
)

func TestReadHTTP(t *testing.T) {
	data := readFixture(t, "requests.http")
	if got := DetectFormat("requests.txt", data); got != FormatHTTP {
		t.Fatalf("DetectFormat = %q", got)
	}
	xs, err := readAll(t, FormatHTTP, data, ReadOptions{Registry: embedded(t)})
	checkInvariants(t, data, xs, err)
	if err != nil || len(xs) != 4 {
		t.Fatalf("%d exchanges, %v", len(xs), err)
	}
	const dps = "/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Devices/provisioningServices/dps1"

	x := xs[0]
	if x.Request.Method != "GET" || x.Request.URL != "https://management.azure.com"+dps+"?api-version=2022-12-12" || x.Request.Header.Get("Accept") != "application/json" {
		t.Errorf("request 1: %s %s %v", x.Request.Method, x.Request.URL, x.Request.Header)
	}
	if x.Response != nil || x.Request.Body != nil {
		t.Errorf("request 1 has a response or body")
	}
	line := bytes.Index(data, []byte("GET https"))
	if x.Pos != filePos(data, line) || x.Pos.Line != 6 {
		t.Errorf("request 1 at %+v", x.Pos)
	}
	for k, sub := range map[string]string{
		SpotKey(validate.InRequest, validate.PartRoute, ""):                       "https://management.azure.com/subscriptions/sub1",
		SpotKey(validate.InRequest, validate.PartQuery, "api-version"):            "2022-12-12 HTTP",
		SpotKey(validate.InRequest, validate.PartPath, "provisioningServiceName"): "dps1?",
		SpotKey(validate.InRequest, validate.PartHeader, "accept"):                "application/json\n",
	} {
		if got, want := x.Spots[k], filePos(data, bytes.Index(data, []byte(sub))); got != want {
			t.Errorf("spot %s = %+v, want %+v", k, got, want)
		}
	}

	// Variables, a continued URL, a body and a response handler.
	x = xs[1]
	wantURL := "https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.Devices/provisioningServices/dps1/certificates/cert1?api-version=2022-12-12&x=1"
	if x.Request.Method != "PUT" || x.Request.URL != wantURL || x.Request.Header.Get("If-Match") != "*" {
		t.Errorf("request 2: %s %s %v", x.Request.Method, x.Request.URL, x.Request.Header)
	}
	wantBody := "{\n  \"properties\": {\"certificate\": \"TUlJ\"}\n}"
	if string(x.Request.Body) != wantBody || x.RequestBody.Kind != BodyRaw {
		t.Errorf("request 2 body %q kind %d", x.Request.Body, x.RequestBody.Kind)
	}
	if got, want := x.RequestBody.Locate(x.Request.Body, strings.Index(wantBody, "TUlJ")), filePos(data, bytes.Index(data, []byte("TUlJ"))); got != want {
		t.Errorf("Locate = %+v, want %+v", got, want)
	}
	if got, want := x.Spots[SpotKey(validate.InRequest, validate.PartRoute, "")], filePos(data, bytes.Index(data, []byte("{{dps}}/cert"))); got != want {
		t.Errorf("substituted URL spot %+v, want its start %+v", got, want)
	}

	// A malformed header line is a problem; a response reference is no body.
	x = xs[2]
	if x.Request.Method != "DELETE" || x.Request.Body != nil || len(x.Problems) != 1 || x.Problems[0].Pos != filePos(data, bytes.Index(data, []byte("Bad header"))) {
		t.Errorf("request 3: %+v", x)
	}

	// An unresolved host variable is dropped; a substituted body is opaque.
	x = xs[3]
	if x.Request.URL != "/subscriptions/sub1/providers/Microsoft.Devices/checkProvisioningServiceNameAvailability?api-version=2022-12-12" {
		t.Errorf("request 4 URL %s", x.Request.URL)
	}
	if string(x.Request.Body) != `{"name": "00000000-0000-0000-0000-000000000001"}` || x.RequestBody.Kind != BodyOpaque {
		t.Errorf("request 4 body %q kind %d", x.Request.Body, x.RequestBody.Kind)
	}
}

func TestReadHTTPCases(t *testing.T) {
	tests := []struct {
		name, data string
		methods    string // of the requests, space-separated
		urls       string
		bodies     string // |-separated
		problems   int
	}{
		{"bare url", "https://example.com/a\n", "GET", "https://example.com/a", "", 0},
		{"crlf", "POST /a HTTP/1.1\r\nA: b\r\n\r\n{\"x\": 1}\r\n\r\n###\r\nGET /b\r\n", "POST GET", "/a /b", `{"x": 1}|`, 0},
		{"body without blank line", "POST /a\nContent-Type: application/json\n{\"x\": 1}\n", "POST", "/a", `{"x": 1}`, 0},
		{"body from file", "POST /a\n\n< ./body.json\n", "POST", "/a", "", 1},
		{"script handler", "GET /a\n\n> ./check.js\n", "GET", "/a", "", 0},
		{"comments", "# c\n// d\n### named\n# @name x\n\nDELETE /a\n# header comment\nX: 1\n", "DELETE", "/a", "", 0},
		{"not a request", "hello there\n", "", "", "", 1},
		{"method only", "GET\n", "", "", "", 1},
		{"lower-case method", "patch /a\n", "PATCH", "/a", "", 0},
		{"body keeps inner blank lines", "PUT /a\n\n{\n\n}\n\n\n", "PUT", "/a", "{\n\n}", 0},
		{"unknown variable kept", "GET /a/{{id}}?t={{$timestamp}}\n", "GET", "/a/{{id}}?t={{$timestamp}}", "", 0},
		{"recursive variables", "@a = {{b}}/x\n@b = /root\nGET {{a}}\n", "GET", "/root/x", "", 0},
	}
	for _, tt := range tests {
		xs, err := readAll(t, FormatHTTP, []byte(tt.data), ReadOptions{Registry: embedded(t)})
		checkInvariants(t, []byte(tt.data), xs, err)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		var methods, urls, bodies []string
		problems := 0
		for _, x := range xs {
			problems += len(x.Problems)
			if x.Request == nil {
				continue
			}
			methods = append(methods, x.Request.Method)
			urls = append(urls, x.Request.URL)
			bodies = append(bodies, string(x.Request.Body))
		}
		if strings.Join(methods, " ") != tt.methods || strings.Join(urls, " ") != tt.urls || strings.Join(bodies, "|") != tt.bodies || problems != tt.problems {
			t.Errorf("%s: %q %q %q, %d problems", tt.name, methods, urls, bodies, problems)
		}
	}
}

func TestReadHTTPNoRequest(t *testing.T) {
	_, err := readAll(t, FormatHTTP, []byte("# only a comment\n@a = b\n"), ReadOptions{Registry: embedded(t)})
	var ie *InputError
	if !errors.As(err, &ie) || ie.Code != validate.CodeInvalidInput {
		t.Fatalf("%v", err)
	}
}

func FuzzReadHTTP(f *testing.F) {
	f.Add([]byte("@a = {{a}}\nPOST {{a}}/x\n  ?b=1\nA: {{a}}\n\n{\"x\": \"{{a}}\"}\n> {%\n%}\n###\nGET /"))
	fuzzRead(f, FormatHTTP, "requests.http")
}
