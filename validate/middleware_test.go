package validate_test

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/contractlint/contractlint/spec"
	"github.com/contractlint/contractlint/validate"
)

const (
	mwDPS      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Devices/provisioningServices/dps1"
	mwCertURL  = mwDPS + "/certificates/cert1?api-version=2022-12-12"
	mwAPIMCert = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim1/certificates/cert1?api-version=2024-05-01"

	mwValidCert   = `{"properties":{"certificate":"MA=="}}`
	mwInvalidCert = `{"properties":{"certificate":"####","isVerified":"yes"}}`
	mwCertResp    = `{"id":"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Devices/provisioningServices/dps1/certificates/cert1","name":"cert1","properties":{"certificate":"MA==","isVerified":false}}`
	mwAPIMResp    = `{"id":"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim1/certificates/cert1","name":"cert1","properties":{"subject":"CN=contoso","thumbprint":"AB12","expirationDate":"2030-01-01T00:00:00Z"}}`
)

var mwValidator = sync.OnceValues(func() (*validate.Validator, error) {
	reg, err := spec.Embedded()
	if err != nil {
		return nil, err
	}
	return validate.New(reg)
})

// mwWrap builds the middleware over the embedded contracts around next.
func mwWrap(t testing.TB, next http.Handler, opts ...validate.MiddlewareOption) http.Handler {
	t.Helper()
	v, err := mwValidator()
	if err != nil {
		t.Fatal(err)
	}
	mw, err := validate.NewMiddleware(v, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return mw(next)
}

// reports collects what the middleware reports.
type reports struct {
	mu  sync.Mutex
	all []validate.Result
}

func (rs *reports) add(_ *http.Request, res validate.Result) {
	rs.mu.Lock()
	rs.all = append(rs.all, res)
	rs.mu.Unlock()
}

// findings lists "direction CODE target" for every reported finding.
func (rs *reports) findings() []string {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	var out []string
	for _, res := range rs.all {
		for i := range res.Findings {
			f := &res.Findings[i]
			out = append(out, f.Direction.String()+" "+f.Code+" "+validate.Target(f))
		}
	}
	return out
}

// sink is a handler that records the request body it received and answers
// with a fixed response.
type sink struct {
	mu     sync.Mutex
	calls  int
	bodies [][]byte
	status int
	header http.Header
	body   string
}

func (s *sink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(r.Body)
	s.mu.Lock()
	s.calls++
	s.bodies = append(s.bodies, b)
	s.mu.Unlock()
	if err != nil {
		http.Error(w, err.Error(), http.StatusTeapot)
		return
	}
	for k, v := range s.header {
		w.Header()[k] = v
	}
	if s.header.Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	status := s.status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	io.WriteString(w, s.body)
}

func (s *sink) lastBody() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.bodies) == 0 {
		return nil
	}
	return s.bodies[len(s.bodies)-1]
}

func newReq(method, url, body string) *http.Request {
	var r *http.Request
	if body == "" {
		r = httptest.NewRequest(method, url, nil)
	} else {
		r = httptest.NewRequest(method, url, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
	}
	return r
}

// armError decodes and checks the ARM error shape of a rejection.
func armError(t *testing.T, rec *httptest.ResponseRecorder, status int) validate.ErrorResponse {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d; body %s", rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	var raw map[string]map[string]json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil {
		t.Fatalf("body is not JSON: %v: %s", err, rec.Body)
	}
	if _, ok := raw["error"]; !ok || len(raw) != 1 {
		t.Fatalf("body is not {\"error\": ...}: %s", rec.Body)
	}
	for _, k := range []string{"code", "message", "details"} {
		if _, ok := raw["error"][k]; !ok {
			t.Errorf("error has no %q: %s", k, rec.Body)
		}
	}
	var er validate.ErrorResponse
	json.Unmarshal(rec.Body.Bytes(), &er)
	if got := rec.Header().Get("x-ms-error-code"); got != er.Error.Code || got == "" {
		t.Errorf("x-ms-error-code %q, error.code %q", got, er.Error.Code)
	}
	return er
}

func detailsOf(er validate.ErrorResponse) []string {
	var out []string
	for _, d := range er.Error.Details {
		out = append(out, d.Code+" "+d.Target)
	}
	return out
}

func sameStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

func TestNewMiddlewareErrors(t *testing.T) {
	v, err := mwValidator()
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		v    *validate.Validator
		opts []validate.MiddlewareOption
	}{
		"nil validator":         {nil, nil},
		"invalid mode":          {v, []validate.MiddlewareOption{validate.WithMode(7)}},
		"zero body limit":       {v, []validate.MiddlewareOption{validate.WithBodyLimit(0)}},
		"nil option":            {v, []validate.MiddlewareOption{nil}},
		"reject skipped report": {v, []validate.MiddlewareOption{validate.WithMode(validate.Report), validate.WithRejectSkipped(true)}},
	}
	for name, c := range cases {
		mw, err := validate.NewMiddleware(c.v, c.opts...)
		if err == nil || mw != nil {
			t.Errorf("%s: got no error", name)
		}
	}
	if _, err := validate.NewMiddleware(v); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

func TestParseMode(t *testing.T) {
	for _, name := range []string{"enforce", "REPORT"} {
		m, err := validate.ParseMode(name)
		if err != nil || !strings.EqualFold(m.String(), name) {
			t.Errorf("ParseMode(%q) = %v, %v", name, m, err)
		}
	}
	if _, err := validate.ParseMode("block"); err == nil {
		t.Error("ParseMode(block) succeeded")
	}
}

func TestEnforceValidRequestPasses(t *testing.T) {
	s := &sink{body: mwCertResp}
	var rs reports
	h := mwWrap(t, s, validate.WithReporter(rs.add))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, newReq("PUT", mwCertURL, mwValidCert))
	if rec.Code != 200 || rec.Body.String() != mwCertResp {
		t.Fatalf("got %d %s", rec.Code, rec.Body)
	}
	if string(s.lastBody()) != mwValidCert {
		t.Errorf("handler got %q", s.lastBody())
	}
	sameStrings(t, "findings", rs.findings(), nil)
	if len(rs.all) != 2 || rs.all[0].OperationID != "DpsCertificate_CreateOrUpdate" || rs.all[1].APIVersion != "2022-12-12" {
		t.Errorf("reports: %+v", rs.all)
	}
}

func TestEnforceInvalidRequestRejected(t *testing.T) {
	s := &sink{body: mwCertResp}
	var rs reports
	h := mwWrap(t, s, validate.WithReporter(rs.add))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, newReq("PUT", mwCertURL, mwInvalidCert))
	er := armError(t, rec, http.StatusBadRequest)
	if s.calls != 0 {
		t.Error("the handler was called")
	}
	if er.Error.Code != validate.MultipleErrorsCode || !strings.Contains(er.Error.Message, "DpsCertificate_CreateOrUpdate") {
		t.Errorf("top-level error: %+v", er.Error)
	}
	sameStrings(t, "details", detailsOf(er), []string{"INVALID_FORMAT /properties/certificate", "INVALID_TYPE /properties/isVerified"})
	sameStrings(t, "reported", rs.findings(), []string{"request INVALID_FORMAT /properties/certificate", "request INVALID_TYPE /properties/isVerified"})
}

func TestEnforceSingleErrorNamesIt(t *testing.T) {
	h := mwWrap(t, &sink{})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, newReq("PUT", mwCertURL, `{"properties":{"isVerified":"yes"}}`))
	er := armError(t, rec, http.StatusBadRequest)
	if er.Error.Code != "INVALID_TYPE" || er.Error.Target != "/properties/isVerified" {
		t.Errorf("top-level error: %+v", er.Error)
	}
	// Routing errors are request errors too.
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, newReq("GET", strings.Replace(mwCertURL, "2022-12-12", "2019-01-01", 1), ""))
	er = armError(t, rec, http.StatusBadRequest)
	if er.Error.Code != "API_VERSION_NOT_SUPPORTED" || er.Error.Target != "api-version" {
		t.Errorf("top-level error: %+v", er.Error)
	}
}

func TestTarget(t *testing.T) {
	for _, c := range []struct {
		f    validate.Finding
		want string
	}{
		{validate.Finding{Code: "INVALID_TYPE", Part: validate.PartBody, Pointer: "/properties/isVerified", Name: "isVerified"}, "/properties/isVerified"},
		{validate.Finding{Code: "OBJECT_MISSING_REQUIRED_PROPERTY", Part: validate.PartBody, Pointer: "", Name: "location"}, "/location"},
		{validate.Finding{Code: "OBJECT_MISSING_REQUIRED_PROPERTY", Part: validate.PartBody, Pointer: "/tags", Name: "a/b~c"}, "/tags/a~1b~0c"},
		{validate.Finding{Code: "MISSING_REQUIRED_PARAMETER", Part: validate.PartBody, Name: "certificateDescription"}, "certificateDescription"},
		{validate.Finding{Code: "MISSING_REQUIRED_PARAMETER", Part: validate.PartHeader, Name: "If-Match"}, "If-Match"},
		{validate.Finding{Code: "MISSING_API_VERSION", Part: validate.PartRoute}, "api-version"},
		{validate.Finding{Code: "INVALID_RESPONSE_CODE", Part: validate.PartStatus}, ""},
	} {
		if got := validate.Target(&c.f); got != c.want {
			t.Errorf("Target(%s %q %q) = %q, want %q", c.f.Code, c.f.Pointer, c.f.Name, got, c.want)
		}
	}
}

func TestReportPassesInvalidRequest(t *testing.T) {
	s := &sink{body: mwCertResp}
	var rs reports
	h := mwWrap(t, s, validate.WithMode(validate.Report), validate.WithReporter(rs.add))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, newReq("PUT", mwCertURL, mwInvalidCert))
	if rec.Code != 200 || rec.Body.String() != mwCertResp {
		t.Fatalf("got %d %s", rec.Code, rec.Body)
	}
	if string(s.lastBody()) != mwInvalidCert {
		t.Errorf("handler got %q", s.lastBody())
	}
	sameStrings(t, "reported", rs.findings(), []string{"request INVALID_FORMAT /properties/certificate", "request INVALID_TYPE /properties/isVerified"})
}

// TestBodyReachesHandlerByteForByte sends bodies through a real server, so
// that Content-Length and chunked bodies arrive as they do in production,
// and compares the hash of what the handler read with what the client sent.
func TestBodyReachesHandlerByteForByte(t *testing.T) {
	const limit = 1 << 10
	big := bytes.Repeat([]byte(`{"x":"0123456789abcdef"}`), 3*limit/24) // over the limit
	binary := make([]byte, 700)
	for i := range binary {
		binary[i] = byte(i * 7)
	}
	// Enforce mode passes only valid requests, and calls no contract covers:
	// invalid bodies are sent there to a path outside the contracts.
	const uncovered = "/subscriptions/x/resourceGroups/rg/providers/Contoso.Widgets/widgets/w1?api-version=2024-01-01"
	cases := []struct {
		name, ctype string
		body        []byte
		chunked     bool
		valid       bool
	}{
		{"json", "application/json", []byte("  {\"properties\" : {\"certificate\":\"MA==\"}}\r\n\n"), false, true},
		{"json chunked", "application/json", []byte("{\"properties\":{\"certificate\":\"MA==\",\n\"isVerified\":true}}"), true, true},
		{"invalid json", "application/json", []byte(mwInvalidCert), true, false},
		{"not json", "application/octet-stream", binary, false, false},
		{"not json chunked", "text/plain", binary, true, false},
		{"oversized", "application/json", big, false, true},
		{"oversized chunked", "application/json", big, true, true},
		{"exactly the limit", "application/json", bytes.Repeat([]byte(" "), limit), true, false},
	}
	for _, mode := range []validate.Mode{validate.Report, validate.Enforce} {
		for _, c := range cases {
			t.Run(mode.String()+"/"+c.name, func(t *testing.T) {
				s := &sink{body: mwCertResp}
				srv := httptest.NewServer(mwWrap(t, s, validate.WithMode(mode), validate.WithBodyLimit(limit), validate.WithResponseValidation(false)))
				defer srv.Close()
				var body io.Reader = bytes.NewReader(c.body)
				if c.chunked {
					body = io.MultiReader(bytes.NewReader(c.body)) // hides the length
				}
				url := mwCertURL
				if mode == validate.Enforce && !c.valid {
					url = uncovered
				}
				r, _ := http.NewRequest("PUT", srv.URL+url, body)
				r.Header.Set("Content-Type", c.ctype)
				resp, err := srv.Client().Do(r)
				if err != nil {
					t.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if mode == validate.Enforce && len(c.body) > limit {
					if resp.StatusCode != http.StatusRequestEntityTooLarge || s.calls != 0 {
						t.Fatalf("status %d, handler calls %d; want 413 and none", resp.StatusCode, s.calls)
					}
					return
				}
				if s.calls != 1 {
					t.Fatalf("handler calls %d (status %d)", s.calls, resp.StatusCode)
				}
				if sha256.Sum256(s.lastBody()) != sha256.Sum256(c.body) {
					t.Errorf("the handler got %d bytes that differ from the %d sent", len(s.lastBody()), len(c.body))
				}
			})
		}
	}
}

func TestOversizedRequest(t *testing.T) {
	big := `{"properties":{"certificate":"` + strings.Repeat("A", 2000) + `"}}`
	t.Run("enforce", func(t *testing.T) {
		s := &sink{}
		var rs reports
		h := mwWrap(t, s, validate.WithBodyLimit(100), validate.WithReporter(rs.add))
		for _, known := range []bool{true, false} {
			rec := httptest.NewRecorder()
			r := newReq("PUT", mwCertURL, big)
			if !known {
				r.ContentLength = -1
			}
			h.ServeHTTP(rec, r)
			er := armError(t, rec, http.StatusRequestEntityTooLarge)
			if er.Error.Code != "BODY_TOO_LARGE" || s.calls != 0 {
				t.Errorf("known length %v: %+v, handler calls %d", known, er.Error, s.calls)
			}
		}
		sameStrings(t, "reported", rs.findings(), []string{"request BODY_TOO_LARGE ", "request BODY_TOO_LARGE "})
		if rs.all[0].OperationID != "DpsCertificate_CreateOrUpdate" {
			t.Errorf("operation not named: %+v", rs.all[0])
		}
	})
	t.Run("report", func(t *testing.T) {
		s := &sink{body: mwCertResp}
		var rs reports
		h := mwWrap(t, s, validate.WithMode(validate.Report), validate.WithBodyLimit(100), validate.WithReporter(rs.add))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, newReq("PUT", mwCertURL, big))
		if rec.Code != 200 || string(s.lastBody()) != big {
			t.Fatalf("status %d, handler got %d bytes", rec.Code, len(s.lastBody()))
		}
		sameStrings(t, "reported", rs.findings(), []string{"request BODY_TOO_LARGE ", "response BODY_TOO_LARGE "})
	})
}

// errAfter yields some bytes and then fails, like a client that goes away.
type errAfter struct {
	data []byte
	err  error
}

func (e *errAfter) Read(p []byte) (int, error) {
	if len(e.data) == 0 {
		return 0, e.err
	}
	n := copy(p, e.data)
	e.data = e.data[n:]
	return n, nil
}

func TestBodyReadErrorReachesHandler(t *testing.T) {
	broken := errors.New("connection reset")
	for _, mode := range []validate.Mode{validate.Report, validate.Enforce} {
		var got []byte
		var gotErr error
		h := mwWrap(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got, gotErr = io.ReadAll(r.Body)
		}), validate.WithMode(mode))
		r := httptest.NewRequest("PUT", mwCertURL, io.NopCloser(&errAfter{data: []byte(`{"prop`), err: broken}))
		h.ServeHTTP(httptest.NewRecorder(), r)
		if string(got) != `{"prop` || !errors.Is(gotErr, broken) {
			t.Errorf("%v: handler read %q, %v", mode, got, gotErr)
		}
	}
	// An outer http.MaxBytesReader counts as a body over the limit.
	h := mwWrap(t, &sink{})
	rec := httptest.NewRecorder()
	r := newReq("PUT", mwCertURL, mwValidCert)
	r.ContentLength = -1
	r.Body = http.MaxBytesReader(rec, r.Body, 5)
	h.ServeHTTP(rec, r)
	armError(t, rec, http.StatusRequestEntityTooLarge)
}

func TestInvalidResponse(t *testing.T) {
	// 201 is not declared by DpsCertificate_CreateOrUpdate, and isVerified
	// has the wrong type.
	const badResp = `{"id":"/x","name":"cert1","properties":{"isVerified":"no"}}`
	newSink := func() *sink {
		return &sink{status: 201, body: badResp, header: http.Header{"Etag": {`"v1"`}, "X-Upstream": {"yes"}}}
	}
	t.Run("report", func(t *testing.T) {
		var rs reports
		h := mwWrap(t, newSink(), validate.WithMode(validate.Report), validate.WithReporter(rs.add))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, newReq("PUT", mwCertURL, mwValidCert))
		if rec.Code != 201 || rec.Body.String() != badResp || rec.Header().Get("X-Upstream") != "yes" {
			t.Errorf("response altered: %d %v %s", rec.Code, rec.Header(), rec.Body)
		}
		sameStrings(t, "reported", rs.findings(), []string{"response INVALID_RESPONSE_CODE "})
	})
	t.Run("enforce", func(t *testing.T) {
		var rs reports
		h := mwWrap(t, newSink(), validate.WithReporter(rs.add))
		rec := httptest.NewRecorder()
		rec.Header().Set("X-Request-Id", "outer") // set by an outer middleware
		h.ServeHTTP(rec, newReq("PUT", mwCertURL, mwValidCert))
		er := armError(t, rec, http.StatusBadGateway)
		if er.Error.Code != "INVALID_RESPONSE_CODE" || !strings.Contains(er.Error.Message, "response of DpsCertificate_CreateOrUpdate") {
			t.Errorf("error: %+v", er.Error)
		}
		if rec.Header().Get("X-Upstream") != "" || rec.Header().Get("Etag") != "" || rec.Header().Get("X-Request-Id") != "outer" {
			t.Errorf("headers not reset to the outer ones: %v", rec.Header())
		}
		sameStrings(t, "reported", rs.findings(), []string{"response INVALID_RESPONSE_CODE "})
	})
	t.Run("enforce body", func(t *testing.T) {
		h := mwWrap(t, &sink{body: badResp})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, newReq("PUT", mwCertURL, mwValidCert))
		er := armError(t, rec, http.StatusBadGateway)
		sameStrings(t, "details", detailsOf(er), []string{"INVALID_TYPE /properties/isVerified"})
	})
}

func TestEnforceValidResponseUnchanged(t *testing.T) {
	s := &sink{body: mwAPIMResp, header: http.Header{"Etag": {`"AAAAAAAADGk="`}, "Content-Type": {"application/json; charset=utf-8"}}}
	var rs reports
	h := mwWrap(t, s, validate.WithReporter(rs.add))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, newReq("GET", mwAPIMCert, ""))
	if rec.Code != 200 || rec.Body.String() != mwAPIMResp || rec.Header().Get("Etag") != `"AAAAAAAADGk="` {
		t.Errorf("got %d %v %s", rec.Code, rec.Header(), rec.Body)
	}
	sameStrings(t, "reported", rs.findings(), nil)
}

func TestWarningsPassInEnforceMode(t *testing.T) {
	// Certificate_Get declares an ETag header; its absence is a warning.
	s := &sink{body: mwAPIMResp}
	var rs reports
	h := mwWrap(t, s, validate.WithReporter(rs.add))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, newReq("GET", mwAPIMCert, ""))
	if rec.Code != 200 || rec.Body.String() != mwAPIMResp {
		t.Errorf("got %d %s", rec.Code, rec.Body)
	}
	sameStrings(t, "reported", rs.findings(), []string{"response INVALID_RESPONSE_HEADER ETag"})
}

func TestOversizedResponsePassesUnvalidated(t *testing.T) {
	body := `{"id":"/x","properties":{"isVerified":"` + strings.Repeat("n", 500) + `"}}`
	for _, mode := range []validate.Mode{validate.Report, validate.Enforce} {
		var rs reports
		h := mwWrap(t, &sink{body: body}, validate.WithMode(mode), validate.WithBodyLimit(100), validate.WithReporter(rs.add))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, newReq("PUT", mwCertURL, mwValidCert))
		if rec.Code != 200 || rec.Body.String() != body {
			t.Errorf("%v: got %d, %d bytes", mode, rec.Code, rec.Body.Len())
		}
		sameStrings(t, mode.String(), rs.findings(), []string{"response BODY_TOO_LARGE "})
	}
}

func TestGzipResponseIsValidated(t *testing.T) {
	var zbuf bytes.Buffer
	zw := gzip.NewWriter(&zbuf)
	io.WriteString(zw, `{"id":"/x","properties":{"isVerified":"no"}}`)
	zw.Close()
	var rs reports
	h := mwWrap(t, &sink{body: zbuf.String(), header: http.Header{"Content-Encoding": {"gzip"}}}, validate.WithMode(validate.Report), validate.WithReporter(rs.add))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, newReq("PUT", mwCertURL, mwValidCert))
	if !bytes.Equal(rec.Body.Bytes(), zbuf.Bytes()) {
		t.Error("compressed body altered")
	}
	sameStrings(t, "reported", rs.findings(), []string{"response INVALID_TYPE /properties/isVerified"})
}

func TestFlushAndUnwrap(t *testing.T) {
	for _, mode := range []validate.Mode{validate.Report, validate.Enforce} {
		t.Run(mode.String(), func(t *testing.T) {
			var unwrapped bool
			var flushedEarly bool
			rec := httptest.NewRecorder()
			h := mwWrap(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if u, ok := w.(interface{ Unwrap() http.ResponseWriter }); ok && u.Unwrap() == rec {
					unwrapped = true
				}
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, mwCertResp[:10])
				if err := http.NewResponseController(w).Flush(); err != nil {
					t.Errorf("Flush: %v", err)
				}
				w.(http.Flusher).Flush()
				flushedEarly = rec.Flushed
				io.WriteString(w, mwCertResp[10:])
			}), validate.WithMode(mode))
			h.ServeHTTP(rec, newReq("PUT", mwCertURL, mwValidCert))
			if !unwrapped {
				t.Error("Unwrap does not return the real writer")
			}
			if want := mode == validate.Report; flushedEarly != want {
				t.Errorf("flushed before the handler returned: %v, want %v", flushedEarly, want)
			}
			if !rec.Flushed || rec.Body.String() != mwCertResp {
				t.Errorf("flushed %v, body %s", rec.Flushed, rec.Body)
			}
		})
	}
}

// TestResponseControllerThroughWrapper checks deadlines and full duplex,
// which http.ResponseController reaches through Unwrap, on a real server.
func TestResponseControllerThroughWrapper(t *testing.T) {
	for _, mode := range []validate.Mode{validate.Report, validate.Enforce} {
		errs := make(chan error, 3)
		srv := httptest.NewServer(mwWrap(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rc := http.NewResponseController(w)
			errs <- rc.SetWriteDeadline(time.Now().Add(time.Minute))
			errs <- rc.SetReadDeadline(time.Now().Add(time.Minute))
			errs <- rc.EnableFullDuplex()
			io.WriteString(w, mwCertResp)
		}), validate.WithMode(mode)))
		r, _ := http.NewRequest("PUT", srv.URL+mwCertURL, strings.NewReader(mwValidCert))
		resp, err := srv.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		srv.Close()
		for range 3 {
			if err := <-errs; err != nil {
				t.Errorf("%v: %v", mode, err)
			}
		}
	}
}

func TestSecretsNeverInRejection(t *testing.T) {
	cases := []struct{ url, body, secret, pointer string }{
		{mwDPS + "?api-version=2022-12-12",
			`{"location":"eastus","sku":{"name":"S1"},"properties":{"authorizationPolicies":[{"keyName":"k","primaryKey":12345,"secondaryKey":"c2VjcmV0LXNlY29uZGFyeQ==","rights":"Registry"}]}}`,
			"12345", "/properties/authorizationPolicies/0/primaryKey"},
		{mwAPIMCert, `{"properties":{"data":"MA==","password":98765}}`, "98765", "/properties/password"},
		{mwAPIMCert, `{"properties":{"data":"MA==","password":{"v":"hunter2-pass"}}}`, "hunter2", "/properties/password"},
	}
	for _, c := range cases {
		var logs bytes.Buffer
		h := mwWrap(t, &sink{}, validate.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, newReq("PUT", c.url, c.body))
		er := armError(t, rec, http.StatusBadRequest)
		if !strings.Contains(strings.Join(detailsOf(er), "\n"), c.pointer) {
			t.Errorf("no detail at %s: %s", c.pointer, rec.Body)
		}
		for _, out := range []string{rec.Body.String(), logs.String(), fmt.Sprint(rec.Header())} {
			if strings.Contains(out, c.secret) || strings.Contains(out, "c2VjcmV0") {
				t.Errorf("secret value leaked: %s", out)
			}
		}
	}
}

func TestSkipperAndSkippedCalls(t *testing.T) {
	const uncovered = "/subscriptions/x/resourcegroups/rg?api-version=2021-04-01"
	var rs reports
	s := &sink{body: "ok"}
	h := mwWrap(t, s, validate.WithReporter(rs.add), validate.WithSkipper(func(r *http.Request) bool { return r.URL.Path == "/healthz" }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, newReq("POST", "/healthz", "not json at all"))
	if rec.Code != 200 || string(s.lastBody()) != "not json at all" || len(rs.all) != 0 {
		t.Errorf("skipped path: %d, %q, reports %v", rec.Code, s.lastBody(), rs.all)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, newReq("GET", uncovered, ""))
	if rec.Code != 200 || len(rs.all) != 1 || !rs.all[0].Skipped {
		t.Errorf("uncovered call: %d, reports %+v", rec.Code, rs.all)
	}

	h = mwWrap(t, s, validate.WithRejectSkipped(true))
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, newReq("GET", uncovered, ""))
	er := armError(t, rec, http.StatusBadRequest)
	if er.Error.Code != "OPERATION_NOT_FOUND" || !strings.HasPrefix(er.Error.Message, "No contract covers this call") {
		t.Errorf("error: %+v", er.Error)
	}
}

func TestCustomErrorHandler(t *testing.T) {
	var got *validate.Rejection
	h := mwWrap(t, &sink{}, validate.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, rej *validate.Rejection) {
		got = rej
		w.Header().Set("X-Custom", "1")
		validate.WriteRejection(w, r, rej)
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, newReq("PUT", mwCertURL, mwInvalidCert))
	armError(t, rec, http.StatusBadRequest)
	if got == nil || got.Status != 400 || len(got.Result.Findings) != 2 || rec.Header().Get("X-Custom") != "1" {
		t.Errorf("rejection %+v, headers %v", got, rec.Header())
	}
}

func TestLogger(t *testing.T) {
	var logs bytes.Buffer
	h := mwWrap(t, &sink{body: mwCertResp}, validate.WithMode(validate.Report), validate.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	h.ServeHTTP(httptest.NewRecorder(), newReq("PUT", mwCertURL+"&sig=topsecret", mwInvalidCert))
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 records, got %q", lines)
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"level": "WARN", "code": "INVALID_FORMAT", "target": "/properties/certificate", "operationId": "DpsCertificate_CreateOrUpdate",
		"apiVersion": "2022-12-12", "severity": "error", "direction": "request", "method": "PUT"}
	for k, v := range want {
		if rec[k] != v {
			t.Errorf("%s = %v, want %v", k, rec[k], v)
		}
	}
	if strings.Contains(logs.String(), "topsecret") {
		t.Error("the query was logged")
	}
}

func TestConcurrentRequests(t *testing.T) {
	var rs reports
	upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		if bytes.Contains(b, []byte("####")) {
			w.WriteHeader(201) // undeclared
		}
		io.WriteString(w, mwCertResp)
	})
	for _, mode := range []validate.Mode{validate.Report, validate.Enforce} {
		srv := httptest.NewServer(mwWrap(t, upstream, validate.WithMode(mode), validate.WithReporter(rs.add)))
		var wg sync.WaitGroup
		for i := range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				body, want := mwValidCert, 200
				if i%2 == 1 {
					body = mwInvalidCert
					if mode == validate.Enforce {
						want = 400
					} else {
						want = 201
					}
				}
				r, _ := http.NewRequest("PUT", srv.URL+mwCertURL, strings.NewReader(body))
				r.Header.Set("Content-Type", "application/json")
				resp, err := srv.Client().Do(r)
				if err != nil {
					t.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != want {
					t.Errorf("%v: status %d, want %d", mode, resp.StatusCode, want)
				}
			}()
		}
		wg.Wait()
		srv.Close()
	}
	// report: 64 request + 64 response results; enforce: 64 request + 32 response.
	if len(rs.all) != 64*2+64+32 {
		t.Errorf("%d results reported", len(rs.all))
	}
}
