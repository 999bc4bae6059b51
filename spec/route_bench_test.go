package spec

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// benchRoutes are the calls every router in BenchmarkRoute resolves.
var benchRoutes = []struct {
	method, url, id string
}{
	{"PUT", "https://management.azure.com" + dpsPS + "/certificates/cert1?api-version=2022-12-12", "DpsCertificate_CreateOrUpdate"},
	{"GET", "https://management.azure.com" + apimS + "/certificates/tempcert?api-version=2024-05-01", "Certificate_Get"},
	{"GET", "https://management.azure.com/subscriptions/" + testSub + "/providers/Microsoft.Devices/provisioningServices?api-version=2018-01-22", "IotDpsResource_ListBySubscription"},
	{"POST", "https://management.azure.com" + dpsPS + "/keys/owner/listkeys?api-version=2018-01-22", "IotDpsResource_ListKeysForKeyName"},
}

// BenchmarkRoute compares Registry.Route with kin-openapi's two routers on
// the same contracts and URLs. Registry.Route gets the raw method and URL and
// picks the contract by api-version itself; the kin routers are given the
// advantage of a prebuilt *http.Request and of the right router (one per
// contract, since they cannot select by api-version) chosen outside the timed
// loop.
func BenchmarkRoute(b *testing.B) {
	reg, err := Embedded()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("contractlint", func(b *testing.B) {
		for _, r := range benchRoutes {
			if m, err := reg.Route(r.method, r.url); err != nil || m.Operation.ID != r.id {
				b.Fatalf("Route(%s %s) = %v, %v; want %s", r.method, r.url, m, err, r.id)
			}
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			r := &benchRoutes[i%len(benchRoutes)]
			if _, err := reg.Route(r.method, r.url); err != nil {
				b.Fatal(err)
			}
		}
	})

	kin := []struct {
		name string
		new  func(*openapi3.T) (routers.Router, error)
	}{
		{"gorillamux", gorillamux.NewRouter},
		{"legacy", func(doc *openapi3.T) (routers.Router, error) {
			// legacy.NewRouter validates the document; our contracts use
			// ECMA-262 patterns (lookahead) that Go's regexp rejects.
			return legacy.NewRouter(doc, openapi3.SetRegexCompiler(func(expr string) (openapi3.RegexMatcher, error) {
				return CompilePattern(expr)
			}))
		}},
	}
	for _, k := range kin {
		b.Run(k.name, func(b *testing.B) {
			byVersion := map[string]routers.Router{}
			for _, src := range EmbeddedSources() {
				// A private copy of each document, so that nothing the
				// router builds can touch the shared registry. The
				// contracts declare servers: [https://management.azure.com/],
				// which kin's routers match against scheme and host; every
				// benchmark URL uses that host, so the servers stay as they
				// are (Registry.Route ignores the host).
				data, err := EmbeddedContract(src)
				if err != nil {
					b.Fatal(err)
				}
				doc, err := openapi3.NewLoader().LoadFromDataWithPath(data, &url.URL{Path: src})
				if err != nil {
					b.Fatal(err)
				}
				r, err := k.new(doc)
				if err != nil {
					b.Fatalf("%s: %v", src, err)
				}
				byVersion[doc.Info.Version] = r
			}
			type call struct {
				router routers.Router
				req    *http.Request
			}
			var calls []call
			for _, r := range benchRoutes {
				req, err := http.NewRequestWithContext(context.Background(), r.method, r.url, nil)
				if err != nil {
					b.Fatal(err)
				}
				router := byVersion[req.URL.Query().Get("api-version")]
				route, _, err := router.FindRoute(req)
				if err != nil || route.Operation.OperationID != r.id {
					b.Fatalf("%s FindRoute(%s %s) = %v, %v; want %s", k.name, r.method, r.url, route, err, r.id)
				}
				calls = append(calls, call{router, req})
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				c := &calls[i%len(calls)]
				if _, _, err := c.router.FindRoute(c.req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
