package lint

import (
	"bytes"
	"errors"
	"testing"

	"github.com/contractlint/contractlint/validate"
)

func TestReadTraffic(t *testing.T) {
	data := readFixture(t, "traffic-cert-put.json")
	if got := DetectFormat("traffic-cert-put.json", data); got != FormatTraffic {
		t.Fatalf("DetectFormat = %q", got)
	}
	xs, err := readAll(t, FormatTraffic, data, ReadOptions{Registry: embedded(t)})
	checkInvariants(t, data, xs, err)
	if err != nil || len(xs) != 1 {
		t.Fatalf("%d exchanges, %v", len(xs), err)
	}
	x := xs[0]
	// The file starts with a byte order mark: the record is at 1:1, offset 3.
	if x.Pos != (Pos{Offset: 3, Line: 1, Column: 1}) {
		t.Errorf("record at %+v", x.Pos)
	}
	if x.Request.Method != "PUT" || x.Request.URL[len(x.Request.URL)-8:] != "x=%C3%A9" {
		t.Errorf("request: %s %s", x.Request.Method, x.Request.URL)
	}
	if got := x.Request.Header.Values("If-Match"); len(got) != 2 || got[1] != "b" {
		t.Errorf("If-Match: %q", got)
	}
	if string(x.Request.Body) != `{"properties": {"certificate": "TUlJ"}}` || x.RequestBody.Kind != BodyRaw {
		t.Errorf("request body %q kind %d", x.Request.Body, x.RequestBody.Kind)
	}
	if want := filePos(data, bytes.Index(data, []byte(`{"properties"`))); x.RequestBody.Start != want || want.Line != 6 {
		t.Errorf("request body at %+v, want %+v", x.RequestBody.Start, want)
	}
	if x.Response.StatusCode != 200 || x.ResponseBody.Kind != BodyString {
		t.Fatalf("response %d kind %d", x.Response.StatusCode, x.ResponseBody.Kind)
	}
	body := x.Response.Body
	if want := `{"name": "cert1", "properties": {"subject": "CN=été"}}`; string(body) != want {
		t.Fatalf("response body %q", body)
	}
	// "t" between the two escaped é sits at its place in the file.
	off := bytes.Index(body, []byte("été")) + len("é")
	want := filePos(data, bytes.Index(data, []byte(`\u00e9t\u00e9`))+len(`\u00e9`))
	if got := x.ResponseBody.Locate(body, off); got != want {
		t.Errorf("Locate = %+v, want %+v", got, want)
	}
	for k, sub := range map[string]string{
		SpotKey(validate.InRequest, validate.PartPath, "certificateName"): "cert1?",
		SpotKey(validate.InRequest, validate.PartQuery, "x"):              "%C3%A9",
		SpotKey(validate.InRequest, validate.PartHeader, "If-Match"):      `["a"`,
		SpotKey(validate.InResponse, validate.PartStatus, ""):             `"200"`,
	} {
		if got, want := x.Spots[k], filePos(data, bytes.Index(data, []byte(sub))); got != want {
			t.Errorf("spot %s = %+v, want %+v", k, got, want)
		}
	}
}

func TestReadTrafficRecords(t *testing.T) {
	tests := []struct {
		name     string
		data     string
		n        int
		problems []string
		status   int
		method   string
	}{
		{"array", `[{"liveRequest": {"method": "GET", "url": "/a"}}, {"liveResponse": {"statusCode": 204}}]`, 2, nil, 0, "GET"},
		{"number status", `{"liveRequest": {"method": "get", "url": "/a", "body": null}, "liveResponse": {"statusCode": 404, "body": null}}`, 1, nil, 404, "GET"},
		{"bad status", `{"liveRequest": {"method": "GET", "url": "/a"}, "liveResponse": {"statusCode": "OK"}}`, 1,
			[]string{`liveResponse.statusCode is "OK", expected an HTTP status code`}, 0, "GET"},
		{"status range", `{"liveResponse": {"statusCode": 42}}`, 1, []string{"liveResponse.statusCode 42 is not an HTTP status code"}, 0, ""},
		{"no status", `{"liveResponse": {}}`, 1, []string{"liveResponse has no statusCode"}, 0, ""},
		{"no method", `{"liveRequest": {"url": "/a"}}`, 1, []string{"liveRequest has no method"}, 0, ""},
		{"no url", `{"liveRequest": {"method": "GET"}}`, 1, []string{"liveRequest has no url"}, 0, ""},
		{"wrong types", `{"liveRequest": {"method": 1, "url": "/a", "headers": []}}`, 1, []string{"liveRequest.method is a number, expected a string"}, 0, ""},
		{"bad headers", `{"liveRequest": {"method": "GET", "url": "/a", "headers": {"a": {}, "b": [1, {}]}}}`, 1,
			[]string{`header "a" in liveRequest.headers is an object, expected a string`, `header "b" in liveRequest.headers has a value that is an object, expected a string`}, 0, "GET"},
		{"neither", `{"request": {}}`, 1, []string{"the record has neither liveRequest nor liveResponse"}, 0, ""},
		{"not record", `[1]`, 1, []string{"the record is a number, expected an object with liveRequest and liveResponse"}, 0, ""},
	}
	for _, tt := range tests {
		xs, err := readAll(t, FormatTraffic, []byte(tt.data), ReadOptions{Registry: embedded(t)})
		checkInvariants(t, []byte(tt.data), xs, err)
		if err != nil || len(xs) != tt.n {
			t.Errorf("%s: %d exchanges, %v", tt.name, len(xs), err)
			continue
		}
		x := xs[0]
		var got []string
		for _, p := range x.Problems {
			got = append(got, p.Message)
		}
		if len(got) != len(tt.problems) {
			t.Errorf("%s: problems %q, want %q", tt.name, got, tt.problems)
			continue
		}
		for i := range got {
			if got[i] != tt.problems[i] {
				t.Errorf("%s: problem %q, want %q", tt.name, got[i], tt.problems[i])
			}
		}
		if (x.Response != nil) != (tt.status != 0) || (x.Response != nil && x.Response.StatusCode != tt.status) {
			t.Errorf("%s: response %+v, want status %d", tt.name, x.Response, tt.status)
		}
		if (x.Request != nil) != (tt.method != "") || (x.Request != nil && x.Request.Method != tt.method) {
			t.Errorf("%s: request %+v, want %q", tt.name, x.Request, tt.method)
		}
	}
}

func TestReadTrafficNotRecord(t *testing.T) {
	_, err := readAll(t, FormatTraffic, []byte(` "x"`), ReadOptions{Registry: embedded(t)})
	var ie *InputError
	if !errors.As(err, &ie) || ie.Code != validate.CodeInvalidInput || ie.Pos != (Pos{1, 1, 2}) {
		t.Fatalf("%#v", err)
	}
}

func FuzzReadTraffic(f *testing.F) {
	f.Add([]byte(`[{"liveRequest": {"method": "GET", "url": "/a?b=%zz&c", "headers": {"a": ["b", 1]}, "body": "x\u00e9"}, "liveResponse": {"statusCode": "200", "body": [1]}}]`))
	fuzzRead(f, FormatTraffic, "traffic-cert-put.json")
}
