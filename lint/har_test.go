package lint

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/contractlint/contractlint/validate"
)

// indexAfter returns the offset of the n-th (1-based) occurrence of sub in
// data, plus skip.
func indexAfter(t testing.TB, data []byte, sub string, n, skip int) int {
	t.Helper()
	off := 0
	for i := 0; i < n; i++ {
		j := bytes.Index(data[off:], []byte(sub))
		if j < 0 {
			t.Fatalf("%q occurs fewer than %d times", sub, n)
		}
		if i < n-1 {
			off += j + len(sub)
		} else {
			off += j
		}
	}
	return off + skip
}

func TestReadHAR(t *testing.T) {
	data := readFixture(t, "dps.har")
	xs, err := readAll(t, FormatHAR, data, ReadOptions{Registry: embedded(t)})
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, data, xs, err)
	if len(xs) != 5 {
		t.Fatalf("%d exchanges, want 5", len(xs))
	}

	// 1: a GET whose response body is an escaped JSON string.
	x := xs[0]
	if x.Request.Method != "GET" || !strings.HasSuffix(x.Request.URL, "/provisioningServices/dps1?api-version=2022-12-12") {
		t.Errorf("request 1: %s %s", x.Request.Method, x.Request.URL)
	}
	if got := x.Request.Header.Values("X-Dup"); len(got) != 2 || got[0] != "1" || got[1] != "2" {
		t.Errorf("repeated header: %q", got)
	}
	if len(x.Request.Header.Values(":authority")) != 0 {
		t.Error("HTTP/2 pseudo-header kept")
	}
	if x.Pos != filePos(data, indexAfter(t, data, "{\n        \"startedDateTime\"", 1, 0)) {
		t.Errorf("entry 1 at %+v", x.Pos)
	}
	body := x.Response.Body
	if x.Response.StatusCode != 200 || !bytes.HasPrefix(body, []byte("{\n  \"name\": \"dps1\"")) || x.ResponseBody.Kind != BodyString {
		t.Fatalf("response 1: %d %q kind %d", x.Response.StatusCode, body, x.ResponseBody.Kind)
	}
	// A character after escapes and a non-ASCII letter maps to its exact
	// place in the HAR file.
	inBody := bytes.Index(body, []byte("Active"))
	inFile := indexAfter(t, data, "Active", 1, 0)
	if got, want := x.ResponseBody.Locate(body, inBody), filePos(data, inFile); got != want {
		t.Errorf("Locate(Active) = %+v, want %+v", got, want)
	}
	inBody = bytes.Index(body, []byte("ë"))
	if got, want := x.ResponseBody.Locate(body, inBody), filePos(data, indexAfter(t, data, "ë", 1, 0)); got != want {
		t.Errorf("Locate(ë) = %+v, want %+v", got, want)
	}
	spots := map[string]int{
		SpotKey(validate.InRequest, validate.PartRoute, ""):                       indexAfter(t, data, "\"url\": \"", 1, len("\"url\": \"")),
		SpotKey(validate.InRequest, validate.PartQuery, "api-version"):            indexAfter(t, data, "2022-12-12", 1, 0),
		SpotKey(validate.InRequest, validate.PartPath, "provisioningServiceName"): indexAfter(t, data, "provisioningServices/dps1", 1, len("provisioningServices/")),
		SpotKey(validate.InRequest, validate.PartPath, "subscriptionId"):          indexAfter(t, data, "subscriptions/sub1", 1, len("subscriptions/")),
		SpotKey(validate.InRequest, validate.PartHeader, "accept"):                indexAfter(t, data, "\"application/json\"", 1, 0),
		SpotKey(validate.InResponse, validate.PartStatus, ""):                     indexAfter(t, data, "\"status\": 200", 1, len("\"status\": ")),
		SpotKey(validate.InResponse, validate.PartHeader, "Content-Type"):         indexAfter(t, data, "\"application/json\"", 2, 0),
	}
	for k, off := range spots {
		if got, want := x.Spots[k], filePos(data, off); got != want {
			t.Errorf("spot %s = %+v, want %+v", k, got, want)
		}
	}

	// 2: a PUT with a postData body and a base64 response.
	x = xs[1]
	if x.Request.Method != "PUT" || string(x.Request.Body) != `{"properties": {"certificate": "TUlJ"}}` || x.RequestBody.Kind != BodyString {
		t.Errorf("request 2: %s %q", x.Request.Method, x.Request.Body)
	}
	if x.Request.Header.Get("Content-Type") != "application/json" {
		t.Errorf("request 2 content type from mimeType: %q", x.Request.Header.Get("Content-Type"))
	}
	if string(x.Response.Body) != `{"name": "cert1", "properties": {"subject": "CN=x"}}` || x.ResponseBody.Kind != BodyOpaque {
		t.Errorf("response 2: %q kind %d", x.Response.Body, x.ResponseBody.Kind)
	}
	if want := filePos(data, indexAfter(t, data, "\"text\": \"eyJ", 1, len("\"text\": "))); x.ResponseBody.Start != want {
		t.Errorf("base64 body at %+v, want %+v", x.ResponseBody.Start, want)
	}

	// 3: wrong types are problems of the entry.
	x = xs[2]
	if x.Request != nil || x.Response != nil || len(x.Problems) != 2 {
		t.Fatalf("entry 3: %+v", x)
	}
	for i, want := range []string{"entry.request is a number, expected an object", `response.status is "teapot", expected an HTTP status code`} {
		if x.Problems[i].Code != validate.CodeInvalidInput || x.Problems[i].Message != want {
			t.Errorf("entry 3 problem %d: %+v", i, x.Problems[i])
		}
	}
	if want := filePos(data, indexAfter(t, data, "42", 1, 0)); x.Problems[0].Pos != want {
		t.Errorf("entry 3 problem at %+v, want %+v", x.Problems[0].Pos, want)
	}

	// 4: bad base64: the response is dropped, the request stays.
	x = xs[3]
	if x.Request == nil || x.Request.Method != "DELETE" || x.Request.Header.Get("If-Match") != "*" || x.Response != nil || len(x.Problems) != 1 {
		t.Fatalf("entry 4: %+v", x)
	}
	if want := filePos(data, indexAfter(t, data, "\"not base64!\"", 1, 0)); x.Problems[0].Pos != want || !strings.Contains(x.Problems[0].Message, "base64") {
		t.Errorf("entry 4 problem: %+v, want at %+v", x.Problems[0], want)
	}

	// 5: status 0 means no response.
	if x = xs[4]; x.Request == nil || x.Response != nil || len(x.Problems) != 0 {
		t.Errorf("entry 5: %+v", x)
	}
}

// TestReadHARTruncated cuts the fixture at every byte: the entries before
// the cut are emitted, and the cut is reported where it is.
func TestReadHARTruncated(t *testing.T) {
	data := readFixture(t, "dps.har")
	full, err := readAll(t, FormatHAR, data, ReadOptions{Registry: embedded(t)})
	if err != nil {
		t.Fatal(err)
	}
	trimmed := bytes.TrimRight(data, " \n")
	prev := 0
	for n := 1; n < len(trimmed); n++ {
		cut := data[:n]
		xs, err := readAll(t, FormatHAR, cut, ReadOptions{Registry: embedded(t)})
		checkInvariants(t, cut, xs, err)
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Fatalf("cut at %d: err = %v", n, err)
		}
		if !utf8.Valid(cut) {
			continue // cut inside a character: reported as invalid UTF-8
		}
		if len(bytes.TrimSpace(cut)) > 0 && (ie.Code != validate.CodeInvalidInput || !strings.HasPrefix(ie.Message, "truncated file")) {
			t.Fatalf("cut at %d: %s %s", n, ie.Code, ie.Message)
		}
		if len(xs) < prev || len(xs) > len(full) {
			t.Fatalf("cut at %d: %d exchanges after %d", n, len(xs), prev)
		}
		prev = len(xs)
		if strings.HasPrefix(ie.Message, "truncated") && ie.Pos != filePos(cut, len(cut)) {
			t.Fatalf("cut at %d: reported at %+v, want the end %+v", n, ie.Pos, filePos(cut, len(cut)))
		}
	}
	if prev != len(full) {
		t.Fatalf("last cut emitted %d of %d", prev, len(full))
	}
}

func TestReadHARErrors(t *testing.T) {
	tests := []struct {
		name, data string
		n          int // exchanges emitted
		code       string
		msg        string
		pos        Pos
	}{
		{"array", `[1]`, 0, validate.CodeInvalidInput, "not a HAR file: the top-level JSON value is not an object", Pos{0, 1, 1}},
		{"not json", `<html>`, 0, validate.CodeInvalidJSON, "invalid JSON: expected a JSON value, found '<'", Pos{0, 1, 1}},
		{"no log", `{"a": 1}`, 0, validate.CodeInvalidInput, `not a HAR file: no "log.entries" array`, Pos{0, 1, 1}},
		{"no entries", `{"log": {}}`, 0, validate.CodeInvalidInput, `not a HAR file: no "log.entries" array`, Pos{0, 1, 1}},
		{"log not object", `{"log": []}`, 0, validate.CodeInvalidInput, `"log" is not an object`, Pos{8, 1, 9}},
		{"entries not array", `{"log": {"entries": {}}}`, 0, validate.CodeInvalidInput, `"entries" is not an array`, Pos{20, 1, 21}},
		{"empty entries", `{"log": {"entries": []}}`, 0, "", "", Pos{}},
		{"syntax in entry", "{\"log\": {\"entries\": [{\"request\": 1},\n {\"request\": tru}]}}", 1, validate.CodeInvalidJSON, `invalid JSON: invalid literal, expected "true"`, Pos{50, 2, 14}},
		{"missing comma", "{\"log\": {\"entries\": [{} {}]}}", 1, validate.CodeInvalidJSON, "invalid JSON: expected ',' or ']' in an array, found '{'", Pos{24, 1, 25}},
		{"trailing", `{"log": {"entries": []}} x`, 0, validate.CodeInvalidJSON, "invalid JSON: unexpected 'x' after the JSON value", Pos{25, 1, 26}},
		{"bad skipped", `{"x": [1,,2], "log": {"entries": []}}`, 0, validate.CodeInvalidJSON, "invalid JSON: expected a JSON value, found ','", Pos{9, 1, 10}},
		{"bad key", `{"log": {"entries": [], 1: 2}}`, 0, validate.CodeInvalidJSON, "expected a string key, found '1'", Pos{24, 1, 25}},
	}
	for _, tt := range tests {
		xs, err := readAll(t, FormatHAR, []byte(tt.data), ReadOptions{Registry: embedded(t)})
		checkInvariants(t, []byte(tt.data), xs, err)
		if len(xs) != tt.n {
			t.Errorf("%s: %d exchanges, want %d", tt.name, len(xs), tt.n)
		}
		if tt.code == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		var ie *InputError
		if !errors.As(err, &ie) || ie.Code != tt.code || ie.Message != tt.msg || ie.Pos != tt.pos {
			t.Errorf("%s: %#v, want %s %q at %+v", tt.name, err, tt.code, tt.msg, tt.pos)
		}
	}
}

// harGenerator produces a HAR of about size bytes on the fly, with entries
// like the fixture's, without holding it in memory.
type harGenerator struct {
	size, written int
	buf           bytes.Buffer
	n             int
	done          bool
}

var harEntry1 = `{"startedDateTime": "2024-01-01T00:00:00Z", "request": {"method": "PUT", "url": "https://management.azure.com/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Devices/provisioningServices/dps%d/certificates/cert1?api-version=2022-12-12", "headers": [{"name": "Content-Type", "value": "application/json"}, {"name": "If-Match", "value": "*"}], "postData": {"mimeType": "application/json", "text": "{\"properties\": {\"certificate\": \"TUlJQ0lqQU5CZ2txaGtpRzl3MEJBUUVGQUFPQ0FnOEFNSUlDQ2dLQ0FnRUE=\"}}"}},
      "response": {"status": 200, "headers": [{"name": "Content-Type", "value": "application/json"}, {"name": "x-ms-request-id", "value": "0000-1111"}], "content": {"mimeType": "application/json", "text": "{\n  \"id\": \"/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Devices/provisioningServices/dps1/certificates/cert1\",\n  \"name\": \"cert1\",\n  \"etag\": \"AAAA\",\n  \"properties\": {\"subject\": \"CN=zo\u00eb\", \"thumbprint\": \"97388663832D0393C9246CAB4FBA2C8677185A25\", \"isVerified\": false, \"created\": \"Thu, 12 Oct 2017 19:23:50 GMT\"}\n}"}}}`

func (g *harGenerator) Read(p []byte) (int, error) {
	for g.buf.Len() < len(p) && !g.done {
		switch {
		case g.n == 0:
			g.buf.WriteString("{\n  \"log\": {\n    \"version\": \"1.2\",\n    \"entries\": [\n      ")
		case g.written+g.buf.Len() >= g.size:
			g.buf.WriteString("\n    ]\n  }\n}\n")
			g.done = true
		default:
			if g.n > 1 {
				g.buf.WriteString(",\n      ")
			}
			fmt.Fprintf(&g.buf, harEntry1, g.n)
		}
		g.n++
	}
	if g.buf.Len() == 0 {
		return 0, io.EOF
	}
	n, _ := g.buf.Read(p)
	g.written += n
	return n, nil
}

// TestReadHARBoundedMemory streams a 64 MB HAR and checks that the heap
// stays far below the file size.
func TestReadHARBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 64 MB")
	}
	const size = 64 << 20
	runtime.GC()
	var peak uint64
	var ms runtime.MemStats
	n := 0
	err := Read(FormatHAR, &harGenerator{size: size}, ReadOptions{Registry: embedded(t)}, func(x *Exchange) {
		n++
		if x.Response == nil || x.Request == nil || len(x.Problems) > 0 {
			t.Fatalf("entry %d: %+v", n, x)
		}
		if n%2000 == 0 {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak {
				peak = ms.HeapInuse
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 30000 {
		t.Fatalf("only %d entries", n)
	}
	t.Logf("%d entries, peak heap in use %.1f MB", n, float64(peak)/(1<<20))
	if peak > 32<<20 {
		t.Fatalf("peak heap %d MB for a %d MB file", peak>>20, size>>20)
	}
}

// BenchmarkReadHAR reads a generated 50 MB HAR file from disk.
func BenchmarkReadHAR(b *testing.B) {
	const size = 50 << 20
	path := filepath.Join(b.TempDir(), "big.har")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	written, err := io.Copy(f, &harGenerator{size: size})
	if err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	reg := embedded(b)
	b.SetBytes(written)
	b.ReportAllocs()
	b.ResetTimer()
	var peak uint64
	for i := 0; i < b.N; i++ {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		var ms runtime.MemStats
		err = Read(FormatHAR, f, ReadOptions{Registry: reg}, func(*Exchange) {
			n++
			if n%5000 == 0 {
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak {
					peak = ms.HeapInuse
				}
			}
		})
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

func FuzzReadHAR(f *testing.F) {
	f.Add([]byte(`{"log": {"entries": [{"request": {"method": "GET", "url": "/a?b=c", "headers": [{"name": "a", "value": "b"}]}, "response": {"status": 200, "content": {"text": "e30=", "encoding": "base64"}}}]}}`))
	fuzzRead(f, FormatHAR, "dps.har")
}

// TestReadHARChunking reads the same files through readers that return
// one byte, or a few, at a time: exchanges and positions must not depend
// on where the reads split the input.
func TestReadHARChunking(t *testing.T) {
	long := strings.Repeat(`a\"\\b\u00e9`, 30000)
	big := []byte(`{"log": {"entries": [{"request": {"method": "POST", "url": "/x", "postData": {"text": "` + long + `"}}}]}}`)
	for name, data := range map[string][]byte{"dps.har": readFixture(t, "dps.har"), "long escapes": big} {
		want, err := readAll(t, FormatHAR, data, ReadOptions{Registry: embedded(t)})
		if err != nil {
			t.Fatal(err)
		}
		for rname, r := range map[string]io.Reader{
			"one byte": iotest.OneByteReader(bytes.NewReader(data)),
			"half":     iotest.HalfReader(bytes.NewReader(data)),
		} {
			var got []*Exchange
			err := Read(FormatHAR, r, ReadOptions{Registry: embedded(t)}, func(x *Exchange) { got = append(got, x) })
			if err != nil || len(got) != len(want) {
				t.Fatalf("%s, %s: %d exchanges, %v", name, rname, len(got), err)
			}
			for i := range got {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Fatalf("%s, %s: exchange %d differs:\n%+v\n%+v", name, rname, i+1, got[i], want[i])
				}
			}
		}
	}
	xs, _ := readAll(t, FormatHAR, big, ReadOptions{})
	if want := strings.Repeat(`a"\bé`, 30000); string(xs[0].Request.Body) != want {
		t.Fatalf("long escaped body decoded wrong (%d bytes)", len(xs[0].Request.Body))
	}
}
