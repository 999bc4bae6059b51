package lint

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/contractlint/contractlint/validate"
)

func TestReadRecording(t *testing.T) {
	data := readFixture(t, "recording-small.json")
	if got := DetectFormat("x.json", data); got != FormatRecording {
		t.Fatalf("DetectFormat = %q", got)
	}
	xs, err := readAll(t, FormatRecording, data, ReadOptions{Registry: embedded(t)})
	checkInvariants(t, data, xs, err)
	if err != nil || len(xs) != 4 {
		t.Fatalf("%d exchanges, %v", len(xs), err)
	}

	// 1: JSON bodies embedded as-is, header arrays.
	x := xs[0]
	if x.Request.Method != "PUT" || x.Response.StatusCode != 200 || x.RequestBody.Kind != BodyRaw || x.ResponseBody.Kind != BodyRaw {
		t.Errorf("entry 1: %+v", x)
	}
	if got := x.Request.Header.Values("Accept"); len(got) != 2 || got[1] != "text/json" {
		t.Errorf("Accept: %q", got)
	}
	if !bytes.HasPrefix(x.Request.Body, []byte("{\n")) || !bytes.Contains(x.Request.Body, []byte(`"certificate": "TUlJ"`)) {
		t.Errorf("request body %q", x.Request.Body)
	}
	if got, want := x.Spots[SpotKey(validate.InResponse, validate.PartHeader, "ETag")], filePos(data, bytes.Index(data, []byte(`"W/`))); got != want {
		t.Errorf("ETag spot %+v, want %+v", got, want)
	}

	// 2: a base64 JSON body is decoded; a null body is none.
	x = xs[1]
	if x.Request.Body != nil || string(x.Response.Body) != `{"name":"dps1","properties":{}}` || x.ResponseBody.Kind != BodyOpaque {
		t.Errorf("entry 2: request %q, response %q kind %d", x.Request.Body, x.Response.Body, x.ResponseBody.Kind)
	}

	// 3: lines of a text body are joined; "1234" stays JSON; StatusCode as a string.
	x = xs[2]
	if string(x.Request.Body) != "line one\nline two" || x.RequestBody.Kind != BodyOpaque {
		t.Errorf("entry 3 request body %q kind %d", x.Request.Body, x.RequestBody.Kind)
	}
	if x.Response.StatusCode != 404 || string(x.Response.Body) != "1234" || x.ResponseBody.Kind != BodyRaw {
		t.Errorf("entry 3 response %d %q kind %d", x.Response.StatusCode, x.Response.Body, x.ResponseBody.Kind)
	}

	// 4: wrong types are problems; the request stands.
	x = xs[3]
	if x.Request == nil || string(x.Request.Body) != "Sanitized" || x.Response != nil {
		t.Errorf("entry 4: %+v", x)
	}
	var msgs []string
	for _, p := range x.Problems {
		msgs = append(msgs, p.Message)
	}
	want := []string{`header "Bad" in entry.RequestHeaders is an object, expected a string`, "entry.StatusCode is a boolean, expected a number or a string"}
	if strings.Join(msgs, "|") != strings.Join(want, "|") {
		t.Errorf("entry 4 problems %q, want %q", msgs, want)
	}
}

func TestRecordingBody(t *testing.T) {
	tests := []struct {
		body, ct string
		want     string
		kind     BodyKind
	}{
		{`"eyJhIjoxfQ=="`, "", `{"a":1}`, BodyOpaque}, // base64 of {"a":1}
		{`"eyJhIjox"`, "", `eyJhIjox`, BodyRaw},       // decodes to invalid JSON
		{`"MTIzNA=="`, "", `MTIzNA==`, BodyRaw},       // decodes to 1234, not an object
		{`"1234"`, "", `1234`, BodyRaw},               // valid JSON itself
		{`"e30="`, "", `{}`, BodyOpaque},              // {}
		{`"{\"a\": 1}"`, "", `{"a": 1}`, BodyString},  // JSON text in a string
		{`["a", "b"]`, "", "a\nb", BodyOpaque},        // lines
		{`["a", "b"]`, "application/json", `["a", "b"]`, BodyRaw},
		{`[1, "b"]`, "", `[1, "b"]`, BodyRaw},
		{`[]`, "text/plain", "", BodyOpaque},
		{`null`, "", "", 0},
	}
	for _, tt := range tests {
		rec := `{"Entries": [{"RequestUri": "/a", "RequestMethod": "POST", "RequestHeaders": {"Content-Type": "` + tt.ct + `"}, "RequestBody": ` + tt.body + `}]}`
		xs, err := readAll(t, FormatRecording, []byte(rec), ReadOptions{Registry: embedded(t)})
		checkInvariants(t, []byte(rec), xs, err)
		if err != nil || len(xs) != 1 || xs[0].Request == nil {
			t.Fatalf("%s: %v", tt.body, err)
		}
		x := xs[0]
		if string(x.Request.Body) != tt.want || x.RequestBody.Kind != tt.kind {
			t.Errorf("%s: body %q kind %d, want %q kind %d", tt.body, x.Request.Body, x.RequestBody.Kind, tt.want, tt.kind)
		}
	}
}

// TestSharedRecordings reads every published recording.
func TestSharedRecordings(t *testing.T) {
	dir := "../../shared/recordings"
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Skip("the published recordings are not available at " + dir)
	}
	reg := embedded(t)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if got := DetectFormat(f, data); got != FormatRecording {
			t.Errorf("%s: DetectFormat = %q", f, got)
		}
		xs, err := readAll(t, FormatRecording, data, ReadOptions{Registry: reg, Name: f})
		checkInvariants(t, data, xs, err)
		if err != nil || len(xs) == 0 {
			t.Fatalf("%s: %d exchanges, %v", f, len(xs), err)
		}
		for _, x := range xs {
			if x.Request == nil || x.Response == nil || len(x.Problems) > 0 {
				t.Errorf("%s exchange %d: %+v", f, x.Index, x)
			}
		}
		t.Logf("%s: %d exchanges", filepath.Base(f), len(xs))
	}
}

func FuzzReadRecording(f *testing.F) {
	f.Add([]byte(`{"Entries": [{"RequestUri": "/a", "RequestMethod": "GET", "RequestHeaders": {"a": ["b"]}, "RequestBody": "e30=", "StatusCode": 200, "ResponseBody": ["x"]}], "Variables": {}}`))
	fuzzRead(f, FormatRecording, "recording-small.json")
}
