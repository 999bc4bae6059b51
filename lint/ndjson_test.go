package lint

import (
	"bytes"
	"strings"
	"testing"

	"github.com/contractlint/contractlint/validate"
)

func TestReadNDJSON(t *testing.T) {
	data := readFixture(t, "traffic.ndjson")
	if got := DetectFormat("x.json", data); got != FormatNDJSON {
		t.Fatalf("DetectFormat = %q", got)
	}
	xs, err := readAll(t, FormatNDJSON, data, ReadOptions{Registry: embedded(t)})
	checkInvariants(t, data, xs, err)
	if err != nil || len(xs) != 5 {
		t.Fatalf("%d exchanges, %v", len(xs), err)
	}
	lineOf := func(sub string) Pos { return filePos(data, bytes.Index(data, []byte(sub))) }

	if x := xs[0]; x.Request == nil || x.Response == nil || string(x.Response.Body) != `{"name": "dps1"}` || x.Pos != (Pos{0, 1, 1}) {
		t.Errorf("line 1: %+v", x)
	}
	if x := xs[1]; x.Request != nil || len(x.Problems) != 1 || x.Problems[0].Code != validate.CodeInvalidInput ||
		x.Pos != lineOf("{not") || x.Problems[0].Pos != filePos(data, bytes.Index(data, []byte("{not"))+1) {
		t.Errorf("bad line: %+v", x)
	}
	x := xs[2]
	if x.Request == nil || x.Pos != lineOf(`{"request"`) || string(x.Response.Body) != `{"value": []}` || x.ResponseBody.Kind != BodyString {
		t.Errorf("HAR entry line: %+v", x)
	}
	if x := xs[3]; len(x.Problems) != 1 || !strings.Contains(x.Problems[0].Message, "an array") || x.Pos != lineOf("[1, 2]") {
		t.Errorf("array line: %+v", x)
	}
	if x := xs[4]; len(x.Problems) != 1 || !strings.Contains(x.Problems[0].Message, "neither") {
		t.Errorf("other line: %+v", x)
	}
}

// TestReadNDJSONLongLines reads lines longer than the read buffer.
func TestReadNDJSONLongLines(t *testing.T) {
	var b bytes.Buffer
	long := strings.Repeat("x", 3*streamBufSize)
	for i := 0; i < 3; i++ {
		b.WriteString(`{"liveRequest": {"method": "POST", "url": "/a", "body": "` + long + `"}}` + "\n")
	}
	b.WriteString(`{"liveRequest": {"method": "GET", "url": "/last"}}`) // no final newline
	data := b.Bytes()
	xs, err := readAll(t, FormatNDJSON, data, ReadOptions{Registry: embedded(t)})
	checkInvariants(t, data, xs, err)
	if err != nil || len(xs) != 4 || len(xs[2].Request.Body) != len(long) || xs[3].Pos.Line != 4 || xs[3].Request.URL != "/last" {
		t.Fatalf("%d exchanges, %v", len(xs), err)
	}
}

func FuzzReadNDJSON(f *testing.F) {
	f.Add([]byte("{\"liveRequest\": {\"method\": \"GET\", \"url\": \"/a\"}}\n\n{\"request\": {\"method\": \"GET\", \"url\": \"/b\"}, \"response\": {\"status\": 204}}\nnope\n"))
	fuzzRead(f, FormatNDJSON, "traffic.ndjson")
}
