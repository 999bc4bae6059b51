package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/contractlint/contractlint/validate"
)

// secret is the credential every fixture below carries in a broken way.
const secret = "S3cr3t-Valu3-42"

// TestSecretsNeverLeak feeds credential-like values that are wrong in every
// way the validator reports (wrong type, format, pattern, length, enum,
// read-only, secret in a response, undeclared) and checks that the value
// appears in no output format.
func TestSecretsNeverLeak(t *testing.T) {
	dir := t.TempDir()
	dps := "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Devices/provisioningServices/dps1?api-version=2022-12-12"
	apim := "/subscriptions/91d12660-3dec-467a-be2a-213b5544a7ec/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim1/certificates/c1?api-version=2024-05-01"
	widget := "/subscriptions/s1/providers/Contoso.Widgets/widgets/w1?api-version=2030-01-01"
	files := map[string]string{
		"dps.json": `{"liveRequest":{"method":"PUT","url":"` + dps + `","body":{"location":"eastus","sku":{"name":"S1"},"properties":{
			"authorizationPolicies":[{"keyName":"k","rights":"ServiceConfig","primaryKey":["` + secret + `"],"secondaryKey":{"v":"` + secret + `"}}],
			"iotHubs":[{"location":"eastus","connectionString":7,"password":"` + secret + `"}]}}}}`,
		"apim.json": `{"liveRequest":{"method":"PUT","url":"` + apim + `","body":{"properties":{"password":["` + secret + `"],"secret":"` + secret + `"}}}}`,
		"widget-request.json": `{"liveRequest":{"method":"PUT","url":"` + widget + `","body":{"label":"ab","secretToken":"` + secret + `","readOnlyKey":"` + secret + `",
			"connectionString":"` + secret + `","password":"` + secret + `","apiKey":"` + secret + `","labels":{"password":"` + secret + `"}}}}`,
		"widget-response.json": `{"liveRequest":{"method":"GET","url":"` + widget + `"},"liveResponse":{"statusCode":200,"body":{"label":"ab","apiKey":"` + secret + `",
			"secretToken":"` + secret + `","password":"` + secret + `","connectionString":"` + secret + `"}}}`,
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	contract := filepath.Join("..", "..", "validate", "testdata", "contracts", "widgets.yaml")
	for _, format := range []string{"text", "json", "sarif", "junit", "github"} {
		var stdout, stderr bytes.Buffer
		code := run([]string{"contractlint", "lint", "--no-config", "--contract", contract, "--format", format, dir}, strings.NewReader(""), &stdout, &stderr)
		if code != exitFindings {
			t.Fatalf("%s: exit %d, stderr %s", format, code, stderr.String())
		}
		if strings.Contains(stdout.String(), secret) || strings.Contains(stderr.String(), secret) {
			t.Errorf("%s output leaks the secret:\n%s", format, stdout.String())
		}
		if format == "json" {
			for _, code := range []string{"INVALID_TYPE", "PATTERN", "MAX_LENGTH", "INVALID_FORMAT", "ENUM_MISMATCH", "READONLY_PROPERTY_NOT_ALLOWED_IN_REQUEST", "SECRET_PROPERTY", "OBJECT_ADDITIONAL_PROPERTIES"} {
				if !strings.Contains(stdout.String(), `"`+code+`"`) {
					t.Errorf("the fixtures no longer produce %s, so the test would not see it leak", code)
				}
			}
		}
	}
	// The validate command, with the secret on the command line.
	var stdout, stderr bytes.Buffer
	run([]string{"contractlint", "validate", "--no-config", "--contract", contract, "-X", "PUT", "--url", widget,
		"--body", `{"label":"ab","secretToken":"` + secret + `"}`}, strings.NewReader(""), &stdout, &stderr)
	if strings.Contains(stdout.String()+stderr.String(), secret) {
		t.Errorf("validate leaks the secret:\n%s%s", stdout.String(), stderr.String())
	}
}

// TestSecretsNeverInProxyOutput sends credential-like values, broken, through
// the proxy in both modes and output formats: neither its log lines, nor the
// ARM error body a rejected client gets, nor the recorded HAR's findings
// mention the value.
func TestSecretsNeverInProxyOutput(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, `{"id":"x","location":"eastus","sku":{"name":"S1"},"properties":{"authorizationPolicies":[{"keyName":"k","rights":"ServiceConfig","primaryKey":["`+secret+`"]}]}}`)
	}))
	defer up.Close()
	body := `{"location":"eastus","sku":{"name":"S1"},"properties":{"authorizationPolicies":[{"keyName":"k","rights":"ServiceConfig","primaryKey":{"v":"` + secret + `"},"secondaryKey":7}],"iotHubs":[{"location":"eastus","connectionString":["` + secret + `"]}]}}`
	for _, mode := range []validate.Mode{validate.Report, validate.Enforce} {
		for _, format := range []string{"text", "json"} {
			p := startProxy(t, proxyConfig{Upstream: mustURL(t, up.URL), Mode: mode, Format: format})
			status, _, respBody := call(t, "PUT", p.url+"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Devices/provisioningServices/dps1?api-version=2022-12-12", body)
			if err := p.stop(); err != nil {
				t.Fatal(err)
			}
			out := p.stdout.String()
			if !strings.Contains(out, "INVALID_TYPE") {
				t.Fatalf("%s/%s: the proxy reported nothing, so the test sees no leak: %s", mode, format, out)
			}
			if strings.Contains(out, secret) || strings.Contains(string(respBody), secret) && mode == validate.Enforce {
				t.Errorf("%s/%s (status %d): secret leaked:\n%s\n%s", mode, format, status, out, respBody)
			}
		}
	}
}
