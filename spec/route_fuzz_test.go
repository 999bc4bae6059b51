package spec

import (
	"errors"
	"strings"
	"testing"
)

// FuzzRoute routes arbitrary calls: routing never panics, a match names an
// operation of the method asked for at the api-version asked for, and a miss
// is always a *RouteError of a known kind.
func FuzzRoute(f *testing.F) {
	reg, err := Embedded()
	if err != nil {
		f.Fatal(err)
	}
	seeds := []string{
		"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Devices/provisioningServices/dps1/certificates/c1?api-version=2022-12-12",
		"https://management.azure.com/subscriptions/s/resourcegroups/rg/providers/MICROSOFT.DEVICES/provisioningServices/dps1?api-version=2018-01-22",
		"/subscriptions/91d12660-3dec-467a-be2a-213b5544a7ec/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim1/certificates/c%20d/?api-version=2024-05-01",
		"/providers/Microsoft.Devices/operations?API-VERSION=2022-12-12#frag",
		"/subscriptions/s/resourceGroups//providers/Microsoft.Devices/provisioningServices/%zz?api-version=2022-12-12&api-version=x",
		"http://gateway:8080",
		"",
		"?",
		"//",
	}
	for _, s := range seeds {
		for _, m := range []string{"GET", "PUT", "delete", "HEAD"} {
			f.Add(m, s)
		}
	}
	f.Fuzz(func(t *testing.T, method, url string) {
		m, err := reg.Route(method, url)
		if err != nil {
			var re *RouteError
			if !errors.As(err, &re) {
				t.Fatalf("miss is %T, not *RouteError", err)
			}
			if re.Kind < NoContract || re.Kind > MethodNotAllowed || re.Error() == "" {
				t.Fatalf("bad miss %+v", re)
			}
			return
		}
		if m == nil || m.Operation == nil {
			t.Fatal("nil match without an error")
		}
		if !strings.EqualFold(m.Operation.Method, method) {
			t.Fatalf("%s routed to a %s operation", method, m.Operation.Method)
		}
		_, query := splitURL(url)
		if v, _ := QueryValue(query, "api-version"); !strings.EqualFold(v, m.APIVersion) {
			t.Fatalf("api-version %q routed to a %s contract", v, m.APIVersion)
		}
		for _, p := range m.Operation.Params {
			if p.In == "path" {
				if _, ok := m.PathValue(p.Name); !ok {
					t.Fatalf("no value for path parameter %s", p.Name)
				}
			}
		}
	})
}
