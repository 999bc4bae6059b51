package validate_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/contractlint/contractlint/validate"
)

// BenchmarkMiddleware measures what the middleware adds to a call: the DPS
// certificate PUT, request and response validated in Enforce mode, against
// the same handler called bare. The difference between the two
// sub-benchmarks is the middleware's per-request cost.
func BenchmarkMiddleware(b *testing.B) {
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header()["Content-Type"] = []string{"application/json"}
		io.WriteString(w, mwCertResp)
	})
	run := func(b *testing.B, h http.Handler) {
		body := []byte(mwValidCert)
		rd := bytes.NewReader(body)
		r := httptest.NewRequest("PUT", mwCertURL, rd)
		r.Header.Set("Content-Type", "application/json")
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			rd.Reset(body)
			r.Body = io.NopCloser(rd)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
		}
	}
	b.Run("bare", func(b *testing.B) { run(b, handler) })
	b.Run("middleware", func(b *testing.B) {
		run(b, mwWrap(b, handler, validate.WithMode(validate.Enforce), validate.WithResponseValidation(true)))
	})
}
