package lint_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/contractlint/contractlint/lint"
)

const harCertURL = "https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Devices/provisioningServices/dps1/certificates/cert1?api-version=2022-12-12&x=a%20b"

func harSample(i int) *lint.HAREntry {
	return &lint.HAREntry{
		Started:        time.Date(2024, 5, 1, 12, 0, 0, i*int(time.Millisecond), time.UTC),
		Time:           1500 * time.Microsecond,
		Method:         "PUT",
		URL:            harCertURL,
		RequestHeader:  http.Header{"Host": {"management.azure.com"}, "Content-Type": {"application/json"}, "X-Seq": {fmt.Sprint(i)}, "Accept": {"a", "b"}},
		RequestBody:    []byte(fmt.Sprintf(`{"properties":{"certificate":"MA=="},"seq":%d}`, i)),
		Status:         200,
		ResponseHeader: http.Header{"Content-Type": {"application/json; charset=utf-8"}},
		ResponseBody:   []byte(`{"name":"cert1","note":"<&>"}`),
	}
}

// readHAR reads a HAR document back with the lint HAR reader.
func readHAR(t *testing.T, data []byte) []*lint.Exchange {
	t.Helper()
	var out []*lint.Exchange
	if err := lint.Read(lint.FormatHAR, bytes.NewReader(data), lint.ReadOptions{}, func(x *lint.Exchange) { out = append(out, x) }); err != nil {
		t.Fatalf("reading the HAR back: %v\n%s", err, data)
	}
	for _, x := range out {
		if len(x.Problems) > 0 {
			t.Errorf("entry %d: problems %+v", x.Index, x.Problems)
		}
	}
	return out
}

func TestHARWriterRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	hw := lint.NewHARWriter(&buf)
	binReq := []byte{0xff, 0xfe, 0x00, 0x01, 'x'}
	binResp := []byte{0x80, 0x81, 0x82}
	e := harSample(0)
	if err := hw.Add(e); err != nil {
		t.Fatal(err)
	}
	if err := hw.Add(&lint.HAREntry{Method: "POST", URL: "http://127.0.0.1/upload", RequestHeader: http.Header{"Content-Type": {"application/octet-stream"}},
		RequestBody: binReq, Status: 502, ResponseBody: binResp, Comment: "binary"}); err != nil {
		t.Fatal(err)
	}
	if err := hw.Add(&lint.HAREntry{Method: "GET", URL: "http://127.0.0.1/gone"}); err != nil { // no response
		t.Fatal(err)
	}
	if err := hw.Close(); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(buf.Bytes()) {
		t.Fatalf("not valid JSON:\n%s", buf.Bytes())
	}

	// The structure HAR 1.2 asks for.
	var doc struct {
		Log struct {
			Version string
			Creator struct{ Name, Version string }
			Entries []struct {
				StartedDateTime string
				Time            float64
				Request         struct {
					Method, URL, HTTPVersion string
					Headers, QueryString     []struct{ Name, Value string }
					Cookies                  []any
					PostData                 *struct{ MimeType, Text, Encoding string }
				}
				Response struct {
					Status     int
					StatusText string
					Content    struct {
						Size                     int
						MimeType, Text, Encoding string
					}
				}
				Timings map[string]float64
				Comment string
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Log.Version != "1.2" || doc.Log.Creator.Name != "contractlint" || len(doc.Log.Entries) != 3 {
		t.Fatalf("log: %+v", doc.Log)
	}
	e0 := doc.Log.Entries[0]
	if e0.StartedDateTime != "2024-05-01T12:00:00.000Z" || e0.Time != 1.5 || e0.Timings["wait"] != 1.5 || e0.Request.HTTPVersion != "HTTP/1.1" || e0.Request.Cookies == nil {
		t.Errorf("entry 0: %+v", e0)
	}
	var q []string
	for _, nv := range e0.Request.QueryString {
		q = append(q, nv.Name+"="+nv.Value)
	}
	if strings.Join(q, "&") != "api-version=2022-12-12&x=a b" {
		t.Errorf("queryString %q", q)
	}
	var hs []string
	for _, nv := range e0.Request.Headers {
		hs = append(hs, nv.Name+": "+nv.Value)
	}
	if want := "Accept: a|Accept: b|Content-Type: application/json|Host: management.azure.com|X-Seq: 0"; strings.Join(hs, "|") != want {
		t.Errorf("headers %q", hs)
	}
	if e0.Response.StatusText != "OK" || e0.Response.Content.Text != `{"name":"cert1","note":"<&>"}` || e0.Response.Content.Encoding != "" {
		t.Errorf("response %+v", e0.Response)
	}
	e1 := doc.Log.Entries[1]
	if e1.Request.PostData == nil || e1.Request.PostData.Encoding != "base64" || e1.Response.Content.Encoding != "base64" || e1.Response.Content.Size != 3 || e1.Comment != "binary" {
		t.Errorf("binary entry: %+v", e1)
	}

	// And the lint reader gets the same exchanges back.
	xs := readHAR(t, buf.Bytes())
	if len(xs) != 3 {
		t.Fatalf("%d exchanges read back", len(xs))
	}
	if r := xs[0].Request; r.Method != "PUT" || r.URL != harCertURL || string(r.Body) != string(e.RequestBody) || r.Header.Get("X-Seq") != "0" || len(r.Header.Values("Accept")) != 2 {
		t.Errorf("request 0 read back: %+v", r)
	}
	if r := xs[0].Response; r == nil || r.StatusCode != 200 || string(r.Body) != string(e.ResponseBody) {
		t.Errorf("response 0 read back: %+v", r)
	}
	if !bytes.Equal(xs[1].Request.Body, binReq) || xs[1].Response == nil || !bytes.Equal(xs[1].Response.Body, binResp) {
		t.Errorf("binary bodies read back: %q %+v", xs[1].Request.Body, xs[1].Response)
	}
	if xs[2].Response != nil {
		t.Errorf("status 0 should read back as no response: %+v", xs[2].Response)
	}
}

func TestHARWriterEmptyAndClosed(t *testing.T) {
	var buf bytes.Buffer
	hw := lint.NewHARWriter(&buf)
	if err := hw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := hw.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	var doc struct{ Log struct{ Entries []any } }
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil || doc.Log.Entries == nil || len(doc.Log.Entries) != 0 {
		t.Errorf("empty HAR %s: %v", buf.Bytes(), err)
	}
	if err := hw.Add(harSample(1)); !errors.Is(err, lint.ErrHARClosed) {
		t.Errorf("Add after Close: %v", err)
	}
}

type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n--; f.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestHARWriterReportsWriteErrors(t *testing.T) {
	hw := lint.NewHARWriter(&failWriter{n: 4})
	var err error
	for i := 0; i < 5 && err == nil; i++ {
		err = hw.Add(harSample(i))
	}
	if err == nil || hw.Close() == nil {
		t.Error("write errors were not returned")
	}
}

func TestHARWriterConcurrentAdds(t *testing.T) {
	var buf bytes.Buffer
	hw := lint.NewHARWriter(&buf)
	const n = 50
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := hw.Add(harSample(i)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if err := hw.Close(); err != nil {
		t.Fatal(err)
	}
	xs := readHAR(t, buf.Bytes())
	var seqs []string
	for _, x := range xs {
		seqs = append(seqs, x.Request.Header.Get("X-Seq"))
	}
	sort.Slice(seqs, func(i, j int) bool {
		return len(seqs[i]) < len(seqs[j]) || len(seqs[i]) == len(seqs[j]) && seqs[i] < seqs[j]
	})
	var want []string
	for i := range n {
		want = append(want, fmt.Sprint(i))
	}
	if strings.Join(seqs, ",") != strings.Join(want, ",") {
		t.Errorf("entries read back: %v", seqs)
	}
}
