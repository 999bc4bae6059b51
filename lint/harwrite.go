package lint

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// HAREntry is one exchange to record with HARWriter.Add.
type HAREntry struct {
	// Started is when the request arrived; Time is how long the exchange
	// took until the response was complete.
	Started time.Time
	Time    time.Duration
	// Method, URL (absolute, as the client addressed it) and Proto (for
	// example "HTTP/1.1"; empty means "HTTP/1.1") describe the request line.
	Method string
	URL    string
	Proto  string
	// RequestHeader should include Host, which net/http keeps outside the
	// header map.
	RequestHeader http.Header
	RequestBody   []byte
	// Status 0 records a request that got no response.
	Status int
	// StatusText is the reason phrase; empty means http.StatusText(Status).
	StatusText     string
	ResponseHeader http.Header
	ResponseBody   []byte
	// Comment is written as the entry's comment, for example to say that a
	// body was cut short.
	Comment string
}

// HARWriter streams exchanges into an HTTP Archive (HAR 1.2) as they happen:
// each Add writes one entry of log.entries, and Close finishes the JSON
// document. Bodies that are valid UTF-8 are written as text, others in
// base64 with "encoding": "base64" (in content, and in postData as many
// tools do). It is safe for concurrent use; entries are written in the
// order Add is called.
type HARWriter struct {
	mu     sync.Mutex
	w      io.Writer
	n      int // entries written
	begun  bool
	closed bool
	err    error // first write error; every later call returns it
}

// NewHARWriter returns a writer of a HAR document to w. Nothing is written
// until the first Add or Close; Close does not close w.
func NewHARWriter(w io.Writer) *HARWriter { return &HARWriter{w: w} }

// ErrHARClosed is returned by Add after Close.
var ErrHARClosed = errors.New("HAR writer is closed")

// Add writes one entry.
func (h *HARWriter) Add(e *HAREntry) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(harEntryOf(e)); err != nil {
		return err
	}
	entry := bytes.TrimRight(buf.Bytes(), "\n")
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return ErrHARClosed
	}
	if err := h.begin(); err != nil {
		return err
	}
	sep := "\n"
	if h.n > 0 {
		sep = ",\n"
	}
	h.write([]byte(sep))
	h.write(entry)
	if h.err == nil {
		h.n++
	}
	return h.err
}

// Close finishes the document so that it is valid JSON, even with no
// entries. Calling it again does nothing.
func (h *HARWriter) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return h.err
	}
	h.closed = true
	if err := h.begin(); err != nil {
		return err
	}
	h.write([]byte("\n]}}\n"))
	return h.err
}

func (h *HARWriter) begin() error {
	if h.begun || h.err != nil {
		return h.err
	}
	h.begun = true
	creator, _ := json.Marshal(harCreator{Name: "contractlint", Version: Version()})
	h.write([]byte(`{"log":{"version":"1.2","creator":`))
	h.write(creator)
	h.write([]byte(`,"entries":[`))
	return h.err
}

func (h *HARWriter) write(b []byte) {
	if h.err != nil {
		return
	}
	_, h.err = h.w.Write(b)
}

type harCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type harEntryJSON struct {
	StartedDateTime string      `json:"startedDateTime"`
	Time            float64     `json:"time"`
	Request         harRequest  `json:"request"`
	Response        harResponse `json:"response"`
	Cache           struct{}    `json:"cache"`
	Timings         harTimings  `json:"timings"`
	Comment         string      `json:"comment,omitempty"`
}

type harNameValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harRequest struct {
	Method      string         `json:"method"`
	URL         string         `json:"url"`
	HTTPVersion string         `json:"httpVersion"`
	Cookies     []harNameValue `json:"cookies"`
	Headers     []harNameValue `json:"headers"`
	QueryString []harNameValue `json:"queryString"`
	PostData    *harPostData   `json:"postData,omitempty"`
	HeadersSize int            `json:"headersSize"`
	BodySize    int            `json:"bodySize"`
}

type harPostData struct {
	MimeType string `json:"mimeType"`
	Text     string `json:"text"`
	Encoding string `json:"encoding,omitempty"`
}

type harResponse struct {
	Status      int            `json:"status"`
	StatusText  string         `json:"statusText"`
	HTTPVersion string         `json:"httpVersion"`
	Cookies     []harNameValue `json:"cookies"`
	Headers     []harNameValue `json:"headers"`
	Content     harContent     `json:"content"`
	RedirectURL string         `json:"redirectURL"`
	HeadersSize int            `json:"headersSize"`
	BodySize    int            `json:"bodySize"`
}

type harContent struct {
	Size     int    `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text,omitempty"`
	Encoding string `json:"encoding,omitempty"`
}

type harTimings struct {
	Blocked float64 `json:"blocked"`
	DNS     float64 `json:"dns"`
	Connect float64 `json:"connect"`
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
	SSL     float64 `json:"ssl"`
}

func harEntryOf(e *HAREntry) *harEntryJSON {
	proto := e.Proto
	if proto == "" {
		proto = "HTTP/1.1"
	}
	ms := math.Round(float64(e.Time)/float64(time.Millisecond)*1000) / 1000
	started := e.Started
	if started.IsZero() {
		started = time.Now()
	}
	out := &harEntryJSON{
		StartedDateTime: started.Format("2006-01-02T15:04:05.000Z07:00"),
		Time:            ms,
		Request: harRequest{
			Method:      e.Method,
			URL:         e.URL,
			HTTPVersion: proto,
			Cookies:     []harNameValue{},
			Headers:     harHeaders(e.RequestHeader),
			QueryString: harQuery(e.URL),
			HeadersSize: -1,
			BodySize:    len(e.RequestBody),
		},
		Response: harResponse{
			Status:      e.Status,
			StatusText:  e.StatusText,
			HTTPVersion: proto,
			Cookies:     []harNameValue{},
			Headers:     harHeaders(e.ResponseHeader),
			HeadersSize: -1,
			BodySize:    len(e.ResponseBody),
		},
		// Only the total is known: it is all waiting.
		Timings: harTimings{Blocked: -1, DNS: -1, Connect: -1, SSL: -1, Wait: ms},
		Comment: e.Comment,
	}
	if out.Response.StatusText == "" {
		out.Response.StatusText = http.StatusText(e.Status)
	}
	if e.Status == 0 {
		out.Response.HTTPVersion = ""
		out.Response.BodySize = -1
	}
	if len(e.RequestBody) > 0 {
		text, enc := harBody(e.RequestBody)
		out.Request.PostData = &harPostData{MimeType: e.RequestHeader.Get("Content-Type"), Text: text, Encoding: enc}
	}
	text, enc := harBody(e.ResponseBody)
	out.Response.Content = harContent{Size: len(e.ResponseBody), MimeType: e.ResponseHeader.Get("Content-Type"), Text: text, Encoding: enc}
	return out
}

// harBody renders a body as HAR text: as is when it is valid UTF-8, else in
// base64 with the encoding "base64".
func harBody(b []byte) (text, encoding string) {
	if utf8.Valid(b) {
		return string(b), ""
	}
	return base64.StdEncoding.EncodeToString(b), "base64"
}

// harHeaders lists a header map as HAR name/value pairs, sorted by name,
// each value of a repeated header in its own pair.
func harHeaders(h http.Header) []harNameValue {
	out := []harNameValue{}
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range h[k] {
			out = append(out, harNameValue{Name: k, Value: v})
		}
	}
	return out
}

// harQuery lists the query parameters of a URL in the order they appear,
// decoded.
func harQuery(rawURL string) []harNameValue {
	out := []harNameValue{}
	_, q, ok := strings.Cut(rawURL, "?")
	if !ok {
		return out
	}
	q, _, _ = strings.Cut(q, "#")
	for part := range strings.SplitSeq(q, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		if dv, err := url.QueryUnescape(v); err == nil {
			v = dv
		}
		out = append(out, harNameValue{Name: k, Value: v})
	}
	return out
}
