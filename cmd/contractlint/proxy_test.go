package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/contractlint/contractlint/lint"
	"github.com/contractlint/contractlint/spec"
	"github.com/contractlint/contractlint/validate"
)

const (
	pxSub      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers"
	pxCertURL  = pxSub + "/Microsoft.Devices/provisioningServices/dps1/certificates/cert1?api-version=2022-12-12"
	pxAPIMURL  = pxSub + "/Microsoft.ApiManagement/service/apim1/certificates/cert1?api-version=2024-05-01"
	pxOtherURL = "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg?api-version=2021-04-01"

	pxValidCert   = `{"properties":{"certificate":"MA=="}}`
	pxInvalidCert = `{"properties":{"certificate":"####","isVerified":"yes"}}`
	pxCertResp    = `{"id":"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Devices/provisioningServices/dps1/certificates/cert1","name":"cert1","properties":{"certificate":"MA==","isVerified":false}}`
	pxAPIMResp    = `{"id":"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim1/certificates/cert1","name":"cert1","properties":{"subject":"CN=contoso","thumbprint":"AB12","expirationDate":"2030-01-01T00:00:00Z"}}`
)

// syncBuffer is a bytes.Buffer safe for the proxy's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// upstream is a loopback service that answers like DPS and APIM would, and
// remembers the hash of every request body it received.
type upstream struct {
	*httptest.Server
	mu     sync.Mutex
	hashes [][32]byte
	calls  int
}

func newUpstream(t *testing.T) *upstream {
	u := &upstream{}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("upstream read: %v", err)
		}
		u.mu.Lock()
		u.calls++
		u.hashes = append(u.hashes, sha256.Sum256(b))
		u.mu.Unlock()
		if d := r.Header.Get("X-Delay"); d != "" {
			dur, _ := time.ParseDuration(d)
			time.Sleep(dur)
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		switch {
		case r.Header.Get("X-Bad-Response") != "":
			w.WriteHeader(http.StatusCreated) // undeclared
			io.WriteString(w, `{"id":"/x","properties":{"isVerified":"no"}}`)
		case strings.Contains(r.URL.Path, "Microsoft.ApiManagement"):
			w.Header().Set("ETag", `"AAAAAAAADGk="`)
			io.WriteString(w, pxAPIMResp)
		case strings.Contains(r.URL.Path, "Microsoft.Devices"):
			io.WriteString(w, pxCertResp)
		default:
			io.WriteString(w, `{"value":[]}`)
		}
	}))
	t.Cleanup(u.Close)
	return u
}

func (u *upstream) lastHash() [32]byte {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.hashes[len(u.hashes)-1]
}

// proxyRun is a proxy started in-process by startProxy.
type proxyRun struct {
	url    string
	stdout *syncBuffer
	stop   func() error
}

// startProxy runs serveProxy on 127.0.0.1:0 until stop is called.
func startProxy(t *testing.T, cfg proxyConfig) *proxyRun {
	t.Helper()
	cfg.Listen = "127.0.0.1:0"
	if cfg.Format == "" {
		cfg.Format = "json"
	}
	addr := make(chan net.Addr, 1)
	cfg.Ready = func(a net.Addr) { addr <- a }
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- serveProxy(ctx, cfg, out) }()
	select {
	case a := <-addr:
		var once sync.Once
		var err error
		stop := func() error {
			once.Do(func() { cancel(); err = <-done })
			return err
		}
		t.Cleanup(func() { stop() })
		return &proxyRun{url: "http://" + a.String(), stdout: out, stop: stop}
	case err := <-done:
		cancel()
		t.Fatalf("proxy did not start: %v", err)
	}
	return nil
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// call sends one request and returns the status and body.
func call(t *testing.T, method, u, body string, header ...string) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// liveFindings parses the proxy's JSON lines into "METHOD path direction CODE target".
func liveFindings(t *testing.T, out string) []string {
	t.Helper()
	var keys []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var f struct {
			Method, URL, Code, Target, Direction string
		}
		if err := json.Unmarshal(sc.Bytes(), &f); err != nil {
			t.Fatalf("not a JSON line: %q", sc.Text())
		}
		keys = append(keys, f.Method+" "+f.URL+" "+f.Direction+" "+f.Code+" "+f.Target)
	}
	sort.Strings(keys)
	return keys
}

func embeddedValidatorForTest(t *testing.T) *validate.Validator {
	reg, err := spec.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	v, err := validate.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestProxyReportModeRecordsWhatItReports(t *testing.T) {
	up := newUpstream(t)
	var har syncBuffer
	p := startProxy(t, proxyConfig{Upstream: mustURL(t, up.URL), Mode: validate.Report, Record: &har})

	type sent struct{ method, url, body, hdr string }
	calls := []sent{
		{"PUT", pxCertURL, pxValidCert, ""},
		{"PUT", pxCertURL, pxInvalidCert, ""},
		{"PUT", pxCertURL, pxValidCert, "bad"},
		{"GET", pxAPIMURL, "", ""},
		{"GET", pxOtherURL, "", ""},
		{"DELETE", pxCertURL, "", ""}, // If-Match missing, 200 without body
	}
	for _, c := range calls {
		var h []string
		if c.hdr != "" {
			h = []string{"X-Bad-Response", "1"}
		}
		st, _, body := call(t, c.method, p.url+c.url, c.body, h...)
		if st >= 400 {
			t.Errorf("%s %s: report mode answered %d %s", c.method, c.url, st, body)
		}
		if c.body != "" && up.lastHash() != sha256.Sum256([]byte(c.body)) {
			t.Errorf("%s %s: upstream got other bytes", c.method, c.url)
		}
	}
	if err := p.stop(); err != nil {
		t.Fatal(err)
	}
	live := liveFindings(t, p.stdout.String())
	for _, want := range []string{
		"PUT " + pxCertURL + " request INVALID_FORMAT /properties/certificate",
		"PUT " + pxCertURL + " request INVALID_TYPE /properties/isVerified",
		"PUT " + pxCertURL + " response INVALID_RESPONSE_CODE ",
		"GET " + pxOtherURL + " request OPERATION_NOT_FOUND ",
		"DELETE " + pxCertURL + " request MISSING_REQUIRED_PARAMETER If-Match",
	} {
		if !contains(live, want) {
			t.Errorf("live findings lack %q:\n%s", want, strings.Join(live, "\n"))
		}
	}

	// Re-validate the recording with the same contracts: same findings.
	if !json.Valid([]byte(har.String())) {
		t.Fatalf("the HAR is not valid JSON:\n%s", har.String())
	}
	v := embeddedValidatorForTest(t)
	var replayed []string
	n := 0
	err := lint.Read(lint.FormatHAR, strings.NewReader(har.String()), lint.ReadOptions{}, func(x *lint.Exchange) {
		n++
		u, _ := url.Parse(x.Request.URL)
		res := v.Validate(&x.Exchange)
		for i := range res.Findings {
			f := &res.Findings[i]
			replayed = append(replayed, x.Request.Method+" "+u.RequestURI()+" "+f.Direction.String()+" "+f.Code+" "+validate.Target(f))
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(replayed)
	if n != len(calls) {
		t.Errorf("%d entries recorded, want %d", n, len(calls))
	}
	if strings.Join(replayed, "\n") != strings.Join(live, "\n") {
		t.Errorf("the recording re-validates differently:\nlive:\n%s\nreplayed:\n%s", strings.Join(live, "\n"), strings.Join(replayed, "\n"))
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestProxyEnforceMode(t *testing.T) {
	up := newUpstream(t)
	p := startProxy(t, proxyConfig{Upstream: mustURL(t, up.URL), Mode: validate.Enforce, MaxBodySize: 4096, Format: "text"})

	st, h, body := call(t, "PUT", p.url+pxCertURL, pxInvalidCert)
	var er validate.ErrorResponse
	if err := json.Unmarshal(body, &er); err != nil || st != 400 || h.Get("x-ms-error-code") != validate.MultipleErrorsCode || len(er.Error.Details) != 2 {
		t.Errorf("invalid request: %d %v %s", st, h, body)
	}
	if up.calls != 0 {
		t.Errorf("the invalid request reached the upstream")
	}

	st, _, body = call(t, "PUT", p.url+pxCertURL, pxValidCert)
	if st != 200 || string(body) != pxCertResp || up.lastHash() != sha256.Sum256([]byte(pxValidCert)) {
		t.Errorf("valid request: %d %s", st, body)
	}

	st, h, body = call(t, "GET", p.url+pxAPIMURL, "")
	if st != 200 || string(body) != pxAPIMResp || h.Get("ETag") != `"AAAAAAAADGk="` {
		t.Errorf("APIM GET: %d %v %s", st, h, body)
	}

	st, h, body = call(t, "PUT", p.url+pxCertURL, pxValidCert, "X-Bad-Response", "1")
	if err := json.Unmarshal(body, &er); err != nil || st != 502 || er.Error.Code != "INVALID_RESPONSE_CODE" {
		t.Errorf("invalid response: %d %v %s", st, h, body)
	}

	big := `{"properties":{"certificate":"` + strings.Repeat("A", 8000) + `"}}`
	before := up.calls
	st, h, _ = call(t, "PUT", p.url+pxCertURL, big)
	if st != 413 || h.Get("x-ms-error-code") != "BODY_TOO_LARGE" || up.calls != before {
		t.Errorf("oversized request: %d %v", st, h)
	}
	if err := p.stop(); err != nil {
		t.Fatal(err)
	}

	out := p.stdout.String()
	want := "PUT " + pxCertURL + `: error INVALID_FORMAT request body /properties/certificate: value "####" is not a valid byte (expected base64 with padding) (DpsCertificate_CreateOrUpdate 2022-12-12)` + "\n"
	if !strings.Contains(out, want) {
		t.Errorf("text output lacks\n%s\ngot:\n%s", want, out)
	}
	line := regexp.MustCompile(`(?m)^(GET|PUT|DELETE) \S+: (error|warning|info) [A-Z_]+ .+$`)
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if !line.MatchString(l) {
			t.Errorf("line not in the text format: %q", l)
		}
	}
}

// TestProxyPassesBodiesByteForByte checks, with hashes, that the upstream
// gets exactly the bytes the client sent: JSON, not JSON, over the limit.
func TestProxyPassesBodiesByteForByte(t *testing.T) {
	up := newUpstream(t)
	p := startProxy(t, proxyConfig{Upstream: mustURL(t, up.URL), Mode: validate.Report, MaxBodySize: 1024})
	binary := make([]byte, 3000)
	for i := range binary {
		binary[i] = byte(i*31 + 7)
	}
	for name, body := range map[string][]byte{
		"json":           []byte("{\n  \"properties\": {\"certificate\": \"MA==\"}\n}\n"),
		"not json":       binary[:500],
		"oversized":      binary,
		"oversized json": []byte(`{"properties":{"certificate":"` + strings.Repeat("QUFB", 1000) + `"}}`),
	} {
		for _, chunked := range []bool{false, true} {
			var rd io.Reader = bytes.NewReader(body)
			if chunked {
				rd = io.MultiReader(rd)
			}
			r, _ := http.NewRequest("PUT", p.url+pxCertURL, rd)
			r.Header.Set("Content-Type", "application/octet-stream")
			resp, err := http.DefaultClient.Do(r)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || up.lastHash() != sha256.Sum256(body) {
				t.Errorf("%s (chunked %v): status %d, upstream got other bytes", name, chunked, resp.StatusCode)
			}
		}
	}
}

func TestProxyConcurrentCalls(t *testing.T) {
	up := newUpstream(t)
	var har syncBuffer
	p := startProxy(t, proxyConfig{Upstream: mustURL(t, up.URL), Mode: validate.Enforce, Record: &har})
	var wg sync.WaitGroup
	const n = 40
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body, want := pxValidCert, 200
			if i%2 == 1 {
				body, want = pxInvalidCert, 400
			}
			st, _, _ := call(t, "PUT", p.url+pxCertURL, body)
			if st != want {
				t.Errorf("status %d, want %d", st, want)
			}
		}()
	}
	wg.Wait()
	if err := p.stop(); err != nil {
		t.Fatal(err)
	}
	entries := 0
	if err := lint.Read(lint.FormatHAR, strings.NewReader(har.String()), lint.ReadOptions{}, func(*lint.Exchange) { entries++ }); err != nil || entries != n {
		t.Errorf("HAR: %d entries, %v", entries, err)
	}
	if got := strings.Count(p.stdout.String(), "\n"); got != n { // two findings per invalid call
		t.Errorf("%d finding lines, want %d", got, n)
	}
}

func TestProxyShutdownFinishesInFlightCalls(t *testing.T) {
	up := newUpstream(t)
	var har syncBuffer
	p := startProxy(t, proxyConfig{Upstream: mustURL(t, up.URL), Mode: validate.Report, Record: &har})
	type result struct {
		status int
		body   []byte
	}
	res := make(chan result, 1)
	go func() {
		st, _, body := call(t, "PUT", p.url+pxCertURL, pxValidCert, "X-Delay", "300ms")
		res <- result{st, body}
	}()
	for { // wait until the call is at the upstream
		up.mu.Lock()
		c := up.calls
		up.mu.Unlock()
		if c > 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	stopped := make(chan error, 1)
	go func() { stopped <- p.stop() }()
	select {
	case <-stopped:
		t.Fatal("the proxy stopped before the call in flight finished")
	case <-time.After(100 * time.Millisecond):
	}
	r := <-res
	if r.status != 200 || string(r.body) != pxCertResp {
		t.Errorf("in-flight call: %d %s", r.status, r.body)
	}
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Log struct{ Entries []json.RawMessage }
	}
	if err := json.Unmarshal([]byte(har.String()), &doc); err != nil || len(doc.Log.Entries) != 1 {
		t.Errorf("HAR after shutdown: %v, %d entries\n%s", err, len(doc.Log.Entries), har.String())
	}
	if _, err := http.Get(p.url + pxAPIMURL); err == nil {
		t.Error("the proxy still accepts calls after stopping")
	}
}

func TestProxyUpstreamDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close()
	p := startProxy(t, proxyConfig{Upstream: mustURL(t, dead), Mode: validate.Report})
	st, h, _ := call(t, "GET", p.url+pxAPIMURL, "")
	if st != 502 || h.Get("x-ms-error-code") != "UpstreamUnavailable" {
		t.Errorf("upstream down: %d %v", st, h)
	}
}

// TestProxyCommand runs the command as a user would and stops it with
// SIGTERM: it exits 0 and leaves a complete HAR file.
func TestProxyCommand(t *testing.T) {
	up := newUpstream(t)
	harPath := filepath.Join(t.TempDir(), "traffic.har")
	var stdout, stderr syncBuffer
	code := make(chan int, 1)
	go func() {
		code <- run([]string{"contractlint", "proxy", "--listen", "127.0.0.1:0", "--upstream", up.URL, "--record", harPath, "--mode", "enforce"}, nil, &stdout, &stderr)
	}()
	addr := regexp.MustCompile(`listening on (http://\S+),`)
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == ""; {
		if m := addr.FindStringSubmatch(stderr.String()); m != nil {
			base = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("the proxy did not start: %s", stderr.String())
		}
		select {
		case c := <-code:
			t.Fatalf("the proxy exited with %d: %s", c, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	if st, _, _ := call(t, "PUT", base+pxCertURL, pxInvalidCert); st != 400 {
		t.Errorf("status %d", st)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-code:
		if c != exitClean {
			t.Errorf("exit code %d: %s", c, stderr.String())
		}
	case <-time.After(40 * time.Second):
		t.Fatal("the proxy did not stop on SIGTERM")
	}
	data, err := os.ReadFile(harPath)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Log struct{ Entries []json.RawMessage }
	}
	if err := json.Unmarshal(data, &doc); err != nil || len(doc.Log.Entries) != 1 {
		t.Errorf("HAR file: %v, %d entries", err, len(doc.Log.Entries))
	}
	if !strings.Contains(stdout.String(), "INVALID_FORMAT") {
		t.Errorf("stdout: %s", stdout.String())
	}
}

func TestProxyUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"proxy"},
		{"proxy", "--upstream", "ftp://example"},
		{"proxy", "--upstream", "http://127.0.0.1:1", "--mode", "block"},
		{"proxy", "--upstream", "http://127.0.0.1:1", "--format", "sarif"},
		{"proxy", "--upstream", "http://127.0.0.1:1", "--max-body-size", "-1"},
		{"proxy", "--upstream", "http://127.0.0.1:1", "extra"},
	} {
		var stdout, stderr bytes.Buffer
		if c := run(append([]string{"contractlint"}, args...), nil, &stdout, &stderr); c != exitError || stdout.Len() != 0 || stderr.Len() == 0 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, c, stdout.String(), stderr.String())
		}
	}
	// A port already taken is an error too, not a hang.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var stderr bytes.Buffer
	if c := run([]string{"contractlint", "proxy", "--listen", ln.Addr().String(), "--upstream", "http://127.0.0.1:1"}, nil, io.Discard, &stderr); c != exitError {
		t.Errorf("taken port: exit %d, %s", c, stderr.String())
	}
}
