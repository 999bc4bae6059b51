package validate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/contractlint/contractlint/spec"
	"github.com/contractlint/contractlint/validate"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// azureSpecs is where the published Swagger 2.0 files live in a checkout
// with shared/ beside the repository.
var azureSpecs = filepath.Join("..", "..", "shared", "azure-specs")

// benchCase is one realistic, valid exchange: the request as a client sends
// it and the response the service answers with. The bodies live in
// testdata/bench/<name>.request.json and .response.json.
type benchCase struct {
	name       string
	method     string
	url        string
	reqHeader  http.Header
	status     int
	respHeader http.Header
	// swagger is the official contract of the operation, relative to
	// azureSpecs; the kin-openapi engine converts it to OpenAPI 3.
	swagger string
}

var benchCases = []benchCase{
	{
		name:   "dps-cert-put-2022",
		method: http.MethodPut,
		url: "https://management.azure.com/subscriptions/91d12660-3dec-467a-be2a-213b5544ddc0/resourceGroups/myResourceGroup" +
			"/providers/Microsoft.Devices/provisioningServices/contoso-dps-01/certificates/contoso-root?api-version=2022-12-12",
		reqHeader:  http.Header{"Content-Type": {"application/json"}, "If-Match": {"AAAAAAExpNs="}},
		status:     200,
		respHeader: http.Header{"Content-Type": {"application/json; charset=utf-8"}},
		swagger:    "deviceprovisioningservices/resource-manager/Microsoft.Devices/stable/2022-12-12/iotdps.json",
	},
	{
		name:   "dps-put-2022",
		method: http.MethodPut,
		url: "https://management.azure.com/subscriptions/91d12660-3dec-467a-be2a-213b5544ddc0/resourceGroups/myResourceGroup" +
			"/providers/Microsoft.Devices/provisioningServices/contoso-dps-01?api-version=2022-12-12",
		reqHeader:  http.Header{"Content-Type": {"application/json"}},
		status:     201,
		respHeader: http.Header{"Content-Type": {"application/json; charset=utf-8"}},
		swagger:    "deviceprovisioningservices/resource-manager/Microsoft.Devices/stable/2022-12-12/iotdps.json",
	},
	{
		name:   "apim-cert-put-2024",
		method: http.MethodPut,
		url: "https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1" +
			"/providers/Microsoft.ApiManagement/service/apimService1/certificates/gateway-tls?api-version=2024-05-01",
		reqHeader:  http.Header{"Content-Type": {"application/json"}},
		status:     201,
		respHeader: http.Header{"Content-Type": {"application/json; charset=utf-8"}, "Etag": {`"AAAAAAAADGk="`}},
		swagger:    "apimanagement/resource-manager/Microsoft.ApiManagement/stable/2024-05-01/apimcertificates.json",
	},
}

func (c *benchCase) bodies(tb testing.TB) (req, resp []byte) {
	tb.Helper()
	var err error
	if req, err = os.ReadFile(filepath.Join("testdata", "bench", c.name+".request.json")); err != nil {
		tb.Fatal(err)
	}
	if resp, err = os.ReadFile(filepath.Join("testdata", "bench", c.name+".response.json")); err != nil {
		tb.Fatal(err)
	}
	return req, resp
}

func (c *benchCase) exchange(tb testing.TB) *validate.Exchange {
	req, resp := c.bodies(tb)
	return &validate.Exchange{
		Request:  &validate.Request{Method: c.method, URL: c.url, Header: c.reqHeader, Body: req},
		Response: &validate.Response{StatusCode: c.status, Header: c.respHeader, Body: resp},
	}
}

var sharedValidator = sync.OnceValues(func() (*validate.Validator, error) {
	reg, err := spec.Embedded()
	if err != nil {
		return nil, err
	}
	return validate.New(reg)
})

func newSharedValidator(tb testing.TB) *validate.Validator {
	tb.Helper()
	v, err := sharedValidator()
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// kinEngine validates with kin-openapi's openapi3filter over the OpenAPI 3
// conversion of the official Swagger file.
type kinEngine struct {
	router routers.Router
	opts   *openapi3filter.Options
}

var (
	kinMu      sync.Mutex
	kinEngines = map[string]*kinEngine{}
)

// newKinEngine loads, converts and routes the official contract once per
// file. It skips when shared/azure-specs is not beside the repository.
func newKinEngine(tb testing.TB, swagger string) *kinEngine {
	tb.Helper()
	kinMu.Lock()
	defer kinMu.Unlock()
	if e, ok := kinEngines[swagger]; ok {
		return e
	}
	path := filepath.Join(azureSpecs, filepath.FromSlash(swagger))
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("kin-openapi engine needs the published Swagger files at %s: %v", azureSpecs, err)
	}
	doc, err := spec.ConvertSwagger(path)
	if err != nil {
		tb.Fatal(err)
	}
	// Host matching: openapi2conv turns host + schemes into the server
	// "https://management.azure.com/", which would make the router reject
	// any other host. The legacy router matches the bare path on any host
	// when the document has no servers, which is what contractlint's
	// routing does (a relative "/" server does not work: Server.MatchRawURL
	// compares it with the whole URL string, scheme and host included).
	doc.Servers = nil
	// ECMA regex: the DPS name pattern ^(?![0-9]+$)(?!-)... uses lookahead,
	// which Go's regexp rejects, so the document would not validate and
	// pattern checks would fail; compile patterns with spec.CompilePattern
	// (RE2 when it can, an ECMAScript engine otherwise) both when the router
	// validates the document and when openapi3filter checks values.
	regex := func(expr string) (openapi3.RegexMatcher, error) { return spec.CompilePattern(expr) }
	// The legacy router (a radix tree) is the faster of kin-openapi's two:
	// spec's BenchmarkRoute has gorillamux about 18 times slower.
	router, err := legacy.NewRouter(doc,
		openapi3.SetRegexCompiler(regex),
		openapi3.AllowExtensionsWithRef(),
		openapi3.DisableExamplesValidation(),
	)
	if err != nil {
		tb.Fatal(err)
	}
	opts := &openapi3filter.Options{
		// Auth: every Azure operation declares the azure_auth oauth2
		// scheme; without an AuthenticationFunc every request fails.
		AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		RegexCompiler:      regex,
		// Formats: kin-openapi knows byte, date, date-time, int32 and
		// int64; Azure's date-time-rfc1123 and uuid need validators so
		// that both engines check the same formats.
		SchemaValidationOptions: []openapi3.SchemaValidationOption{
			openapi3.WithStringFormatValidator("date-time-rfc1123", openapi3.NewCallbackValidator(func(s string) error {
				if _, err := time.Parse(time.RFC1123, s); err != nil {
					return err
				}
				return nil
			})),
			openapi3.WithStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)),
		},
	}
	e := &kinEngine{router: router, opts: opts}
	kinEngines[swagger] = e
	return e
}

// kinExchange holds the reusable request state of one case; only the body
// readers are renewed per validation.
type kinExchange struct {
	e        *kinEngine
	req      *http.Request
	reqBody  []byte
	status   int
	header   http.Header
	respBody []byte
}

func (e *kinEngine) prepare(c *benchCase, reqBody, respBody []byte) *kinExchange {
	req := httptest.NewRequest(c.method, c.url, nil)
	for k, v := range c.reqHeader {
		req.Header[k] = v
	}
	return &kinExchange{e: e, req: req, reqBody: reqBody, status: c.status, header: c.respHeader, respBody: respBody}
}

// validate routes the request and validates it and the response.
func (k *kinExchange) validate(ctx context.Context) error {
	k.req.Body = io.NopCloser(bytes.NewReader(k.reqBody))
	route, params, err := k.e.router.FindRoute(k.req)
	if err != nil {
		return fmt.Errorf("route: %w", err)
	}
	in := &openapi3filter.RequestValidationInput{Request: k.req, PathParams: params, Route: route, Options: k.e.opts}
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
		return fmt.Errorf("request: %w", err)
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 k.status,
		Header:                 k.header,
		Body:                   io.NopCloser(bytes.NewReader(k.respBody)),
		Options:                k.e.opts,
	}
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		return fmt.Errorf("response: %w", err)
	}
	return nil
}

// TestBenchExchangesValid makes sure the benchmarks measure the clean path:
// every case is valid for contractlint (no error or warning) and for
// kin-openapi over the official contract.
func TestBenchExchangesValid(t *testing.T) {
	v := newSharedValidator(t)
	for i := range benchCases {
		c := &benchCases[i]
		t.Run(c.name, func(t *testing.T) {
			res := v.Validate(c.exchange(t))
			if res.OperationID == "" {
				t.Fatalf("not routed: %+v", res.Findings)
			}
			for _, f := range res.Findings {
				if f.Severity >= validate.Warning {
					t.Errorf("contractlint: %s %s %s: %s", f.Code, f.Direction, f.Pointer, f.Message)
				}
			}
			t.Run("kin-openapi", func(t *testing.T) {
				e := newKinEngine(t, c.swagger)
				req, resp := c.bodies(t)
				if err := e.prepare(c, req, resp).validate(context.Background()); err != nil {
					t.Errorf("kin-openapi: %v", err)
				}
			})
		})
	}
}

// BenchmarkExchange compares validating one routed request + response pair
// with contractlint, with kin-openapi (router + openapi3filter) and with the
// floor of merely decoding both bodies with encoding/json.
func BenchmarkExchange(b *testing.B) {
	for i := range benchCases {
		c := &benchCases[i]
		reqBody, respBody := c.bodies(b)
		b.Run(c.name, func(b *testing.B) {
			b.Run("contractlint", func(b *testing.B) {
				v := newSharedValidator(b)
				ex := c.exchange(b)
				if res := v.Validate(ex); res.Max() >= validate.Warning {
					b.Fatalf("exchange is not clean: %+v", res.Findings)
				}
				b.SetBytes(int64(len(reqBody) + len(respBody)))
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					res := v.Validate(ex)
					if len(res.Findings) != 0 && res.Max() >= validate.Warning {
						b.Fatal(res.Findings)
					}
				}
			})
			b.Run("kin-openapi", func(b *testing.B) {
				e := newKinEngine(b, c.swagger)
				k := e.prepare(c, reqBody, respBody)
				ctx := context.Background()
				if err := k.validate(ctx); err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(len(reqBody) + len(respBody)))
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					if err := k.validate(ctx); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("json-floor", func(b *testing.B) {
				b.SetBytes(int64(len(reqBody) + len(respBody)))
				b.ReportAllocs()
				for b.Loop() {
					var req, resp any
					if err := json.Unmarshal(reqBody, &req); err != nil {
						b.Fatal(err)
					}
					if err := json.Unmarshal(respBody, &resp); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
