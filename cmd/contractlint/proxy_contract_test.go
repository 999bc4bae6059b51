package main

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/contractlint/contractlint/spec"
	"github.com/contractlint/contractlint/validate"
)

// TestProxyWithUserContract checks that a contract loaded with --contract
// (here given as a registry) governs the proxy like the embedded ones.
func TestProxyWithUserContract(t *testing.T) {
	c, err := spec.LoadFile(filepath.Join("..", "..", "validate", "testdata", "contracts", "widgets.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	reg, err := spec.NewRegistry(c)
	if err != nil {
		t.Fatal(err)
	}
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"label":"ab"}`))
	}))
	defer up.Close()
	p := startProxy(t, proxyConfig{Upstream: mustURL(t, up.URL), Mode: validate.Enforce, Format: "text", Registry: reg})
	widget := "/subscriptions/s1/providers/Contoso.Widgets/widgets/w1?api-version=2030-01-01"
	if status, _, body := call(t, "PUT", p.url+widget, `{"label":"abcdefghijk"}`); status != http.StatusBadRequest || !strings.Contains(string(body), "MAX_LENGTH") {
		t.Errorf("invalid widget: status %d, body %s", status, body)
	}
	if status, _, body := call(t, "PUT", p.url+widget, `{"label":"ab"}`); status != http.StatusOK {
		t.Errorf("valid widget: status %d, body %s", status, body)
	}
	if err := p.stop(); err != nil {
		t.Fatal(err)
	}
}
