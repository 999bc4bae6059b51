package lint

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/contractlint/contractlint/validate"
)

// filePos is the position of byte offset off in data under Read's rules: a
// leading UTF-8 byte order mark counts in offsets but not in columns.
func filePos(data []byte, off int) Pos {
	if bytes.HasPrefix(data, utf8BOM) && off >= len(utf8BOM) {
		return Pos{Offset: len(utf8BOM), Line: 1, Column: 1}.Advance(data[len(utf8BOM):off])
	}
	return PosAt(data, off)
}

// checkInvariants verifies what every reader promises about the exchanges
// of data: positions agree with their offsets, verbatim bodies are the
// bytes at their position, string bodies decode from the literal at theirs.
func checkInvariants(t testing.TB, data []byte, xs []*Exchange, err error) {
	t.Helper()
	exact := utf8.Valid(data)
	checkPos := func(what string, p Pos) {
		t.Helper()
		if p.Offset < 0 || p.Offset > len(data) || p.Line < 1 || p.Column < 1 {
			t.Fatalf("%s: position %+v out of the file (%d bytes)", what, p, len(data))
		}
		if exact {
			if want := filePos(data, p.Offset); want != p {
				t.Fatalf("%s: position %+v, want %+v", what, p, want)
			}
		}
	}
	for _, x := range xs {
		checkPos("exchange", x.Pos)
		for k, p := range x.Spots {
			checkPos("spot "+k, p)
		}
		for _, pr := range x.Problems {
			checkPos("problem "+pr.Code, pr.Pos)
			if pr.Code == "" || pr.Message == "" {
				t.Fatalf("problem without code or message: %+v", pr)
			}
		}
		check := func(what string, body []byte, src BodySource) {
			t.Helper()
			if body == nil {
				return
			}
			checkPos(what, src.Start)
			switch src.Kind {
			case BodyRaw:
				end := src.Start.Offset + len(body)
				if end > len(data) || !bytes.Equal(data[src.Start.Offset:end], body) {
					t.Fatalf("%s: BodyRaw body is not the file's bytes at %+v", what, src.Start)
				}
			case BodyString:
				if !bytes.HasPrefix(data[src.Start.Offset:], src.Literal) {
					t.Fatalf("%s: literal is not the file's bytes at %+v", what, src.Start)
				}
				if got := decodeJSONString(src.Literal, true); !bytes.Equal(got, body) {
					t.Fatalf("%s: literal decodes to %q, body is %q", what, got, body)
				}
				if exact {
					end := src.Locate(body, len(body))
					if end.Offset != src.Start.Offset+len(src.Literal)-1 {
						t.Fatalf("%s: end of body located at %+v, closing quote at %d", what, end, src.Start.Offset+len(src.Literal)-1)
					}
				}
			case BodyOpaque:
			default:
				t.Fatalf("%s: body without a source kind", what)
			}
		}
		if x.Request != nil {
			check("request body", x.Request.Body, x.RequestBody)
		}
		if x.Response != nil {
			check("response body", x.Response.Body, x.ResponseBody)
			if x.Response.StatusCode < 100 || x.Response.StatusCode > 599 {
				t.Fatalf("response status %d", x.Response.StatusCode)
			}
		}
		if x.Request == nil && x.Response == nil && len(x.Problems) == 0 {
			t.Fatalf("exchange %d has neither request, response nor problem", x.Index)
		}
	}
	if err != nil {
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Fatalf("error %v is not an *InputError", err)
		}
		checkPos("input error", ie.Pos)
		switch ie.Code {
		case validate.CodeInvalidInput, validate.CodeInvalidJSON, validate.CodeInputError:
		default:
			t.Fatalf("input error code %q", ie.Code)
		}
	}
}

// fuzzRead is the body of the FuzzRead* targets: reading never panics and
// keeps the invariants.
func fuzzRead(f *testing.F, format Format, seeds ...string) {
	for _, s := range seeds {
		data, err := os.ReadFile(filepath.Join("testdata", "inputs", s))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	reg := embedded(f)
	opts := ReadOptions{Registry: reg, Name: "fuzz.json"}
	if format == FormatPayload {
		opts.Payload = PayloadOptions{OperationID: "DpsCertificate_CreateOrUpdate", APIVersion: "2022-12-12"}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		xs, err := readAll(t, format, data, opts)
		checkInvariants(t, data, xs, err)
	})
}

func TestDetectFormat(t *testing.T) {
	tests := []struct {
		name string
		head string
		want Format
	}{
		{"a.har", "", FormatHAR},
		{"A.HAR", "{}", FormatHAR},
		{"x.http", "", FormatHTTP},
		{"x.rest", "", FormatHTTP},
		{"x.ndjson", "{}", FormatNDJSON},
		{"x.jsonl", "{}", FormatNDJSON},
		{"x.json", `{"log": {"entries": []}}`, FormatHAR},
		{"x", "\xef\xbb\xbf  {\"log\":", FormatHAR},
		{"x.json", `{"Entries": [], "Variables": {}}`, FormatRecording},
		{"x.json", `{"liveRequest": {}, "liveResponse": {}}`, FormatTraffic},
		{"x.json", `[{"liveRequest": {"url": "x"}}]`, FormatTraffic},
		{"x.json", `{"parameters": {"a": {"responses": 1}}, "responses": {}}`, FormatExample},
		{"x.json", `{"parameters": {"responses": 1}}`, FormatPayload},
		{"x.json", `{"properties": {"log": 1, "Entries": 2}}`, FormatPayload},
		{"x.json", `[1, {"liveRequest": 1}]`, FormatPayload},
		{"x.json", `{"a": "\"log\""}`, FormatPayload},
		{"x.json", "{\"a\": 1}\n{\"a\": 2}\n", FormatNDJSON},
		{"x.json", "{\"liveRequest\": {}}\n{\"liveRequest\": {}}", FormatNDJSON},
		{"x.json", "{\"a\": 1} {\"a\": 2}", FormatPayload},
		{"x.json", `{"parameters": {}, "responses": {"200": {"body": {"value": [`, FormatExample},
		{"x.txt", "# comment\n@host = x\nGET https://example.com/ HTTP/1.1\n", FormatHTTP},
		{"x.txt", "###\nPOST /a\n", FormatHTTP},
		{"x.txt", "hello world", FormatPayload},
		{"x.json", "", FormatPayload},
	}
	for _, tt := range tests {
		if got := DetectFormat(tt.name, []byte(tt.head)); got != tt.want {
			t.Errorf("DetectFormat(%q, %q) = %q, want %q", tt.name, tt.head, got, tt.want)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range Formats() {
		got, err := ParseFormat(strings.ToUpper(string(f)))
		if err != nil || got != f {
			t.Errorf("ParseFormat(%q) = %q, %v", f, got, err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil {
		t.Error("ParseFormat(xml) succeeded")
	}
}

// TestReadBadFiles checks that unreadable content is reported, never
// dropped, in every format.
func TestReadBadFiles(t *testing.T) {
	tests := []struct {
		name string
		data string
		code string
		pos  Pos
	}{
		{"empty", "", validate.CodeInvalidInput, Pos{0, 1, 1}},
		{"bom only", "\xef\xbb\xbf", validate.CodeInvalidInput, Pos{0, 1, 1}},
		{"whitespace", " \n\t\n", validate.CodeInvalidInput, Pos{0, 1, 1}},
		{"nul", "{\"a\":\n \x00}", validate.CodeInvalidInput, Pos{7, 2, 2}},
		{"invalid utf-8", "{\"a\": \"\xff\"}", validate.CodeInvalidInput, Pos{7, 1, 8}},
		{"utf-16", "\xff\xfe{\x00}\x00", validate.CodeInvalidInput, Pos{0, 1, 1}},
	}
	for _, tt := range tests {
		for _, f := range Formats() {
			xs, err := readAll(t, f, []byte(tt.data), ReadOptions{Registry: embedded(t)})
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Errorf("%s/%s: error %v, want an InputError", tt.name, f, err)
				continue
			}
			if len(xs) != 0 || ie.Code != tt.code || ie.Pos != tt.pos {
				t.Errorf("%s/%s: %d exchanges, %s at %+v (%s); want %s at %+v", tt.name, f, len(xs), ie.Code, ie.Pos, ie.Message, tt.code, tt.pos)
			}
		}
	}
}

// TestReadInvalidJSON checks the position of a syntax error in each JSON
// format that reads whole files.
func TestReadInvalidJSON(t *testing.T) {
	data := "\xef\xbb\xbf{\n  \"a\": [1, 2,,]\n}\n"
	for _, f := range []Format{FormatExample, FormatTraffic, FormatHAR, FormatRecording} {
		_, err := readAll(t, f, []byte(data), ReadOptions{Registry: embedded(t)})
		var ie *InputError
		if !errors.As(err, &ie) || ie.Code != validate.CodeInvalidJSON || ie.Pos != (Pos{Offset: 18, Line: 2, Column: 14}) {
			t.Errorf("%s: %#v", f, err)
		}
	}
}

func TestReadUnknownFormat(t *testing.T) {
	_, err := readAll(t, Format("xml"), []byte("<a/>"), ReadOptions{})
	var ie *InputError
	if !errors.As(err, &ie) || ie.Code != validate.CodeInputError {
		t.Fatalf("err = %v", err)
	}
}

// errReader fails after its data.
type errReader struct {
	data []byte
}

func (r *errReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, errors.New("disk on fire")
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestReadIOError(t *testing.T) {
	for _, f := range Formats() {
		err := Read(f, &errReader{data: []byte(`{"log": {"entries": [`)}, ReadOptions{Registry: embedded(t)}, func(*Exchange) {})
		var ie *InputError
		if !errors.As(err, &ie) || ie.Code != validate.CodeInputError || !strings.Contains(ie.Message, "disk on fire") {
			t.Errorf("%s: %v", f, err)
		}
	}
}
