package spec

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// Values used to build realistic request URLs.
const (
	testSub  = "9d3ac3a0-7a4e-4d2b-9c55-2f1a3e6b8c01"
	testRG   = "myResourceGroup"
	testDPS  = "myFirstProvisioningService"
	testAPIM = "apimService1"
)

var (
	dpsRG = "/subscriptions/" + testSub + "/resourceGroups/" + testRG + "/providers/Microsoft.Devices/provisioningServices"
	dpsPS = dpsRG + "/" + testDPS
	apimS = "/subscriptions/" + testSub + "/resourceGroups/" + testRG + "/providers/Microsoft.ApiManagement/service/" + testAPIM
)

type routeCase struct {
	method string
	url    string
	id     string
	ver    string
	values map[string]string // decoded path parameter values
}

// dpsRouteCases routes each of the 18 operations DPS declares at both
// api-versions, with a variation of host, letter case, encoding, trailing
// slash or query key per row.
func dpsRouteCases(ver string) []routeCase {
	base := map[string]string{"subscriptionId": testSub, "resourceGroupName": testRG, "provisioningServiceName": testDPS}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	q := "?api-version=" + ver
	return []routeCase{
		{"GET", "https://management.azure.com/providers/Microsoft.Devices/operations" + q, "Operations_List", ver, map[string]string{}},
		{"POST", "/subscriptions/" + testSub + "/providers/Microsoft.Devices/checkProvisioningServiceNameAvailability" + q,
			"IotDpsResource_CheckProvisioningServiceNameAvailability", ver, map[string]string{"subscriptionId": testSub}},
		{"GET", "http://gateway.local:8080/subscriptions/" + testSub + "/providers/microsoft.devices/provisioningservices" + q,
			"IotDpsResource_ListBySubscription", ver, map[string]string{"subscriptionId": testSub}},
		// Mixed-case literals, as ARM clients send them.
		{"GET", "https://management.azure.com/subscriptions/" + testSub + "/resourcegroups/" + testRG + "/PROVIDERS/MICROSOFT.DEVICES/ProvisioningServices" + q,
			"IotDpsResource_ListByResourceGroup", ver, map[string]string{"subscriptionId": testSub, "resourceGroupName": testRG}},
		{"GET", dpsPS + q, "IotDpsResource_Get", ver, with()},
		{"PUT", "https://management.azure.com" + dpsPS + "/" + q, "IotDpsResource_CreateOrUpdate", ver, with()}, // trailing slash
		{"PATCH", dpsPS + "?API-VERSION=" + ver, "IotDpsResource_Update", ver, with()},                          // query key case
		{"DELETE", "http://gateway.local:8080" + dpsPS + "?force=true&Api-Version=" + ver, "IotDpsResource_Delete", ver, with()},
		{"GET", dpsPS + "/certificates" + q, "DpsCertificate_List", ver, with()},
		// Percent-encoded parameter value, decoded.
		{"GET", dpsPS + "/certificates/my%20cert" + q, "DpsCertificate_Get", ver, with("certificateName", "my cert")},
		{"PUT", "https://management.azure.com" + dpsPS + "/certificates/cert1" + q, "DpsCertificate_CreateOrUpdate", ver, with("certificateName", "cert1")},
		// An encoded slash stays inside its segment.
		{"DELETE", dpsPS + "/certificates/a%2Fb" + q + "&certificate.isVerified=true", "DpsCertificate_Delete", ver, with("certificateName", "a/b")},
		{"POST", dpsRG + "/" + testDPS + "/certificates/cert1/generateVerificationCode" + q, "DpsCertificate_GenerateVerificationCode", ver, with("certificateName", "cert1")},
		// A percent-encoded literal ("S" as %53) still matches.
		{"POST", "/subscriptions/" + testSub + "/resourceGroups/" + testRG + "/providers/Microsoft.Devices/provisioning%53ervices/" + testDPS + "/certificates/cert1/verify" + q,
			"DpsCertificate_VerifyCertificate", ver, with("certificateName", "cert1")},
		{"POST", dpsPS + "/keys/provisioningserviceowner/listkeys" + q, "IotDpsResource_ListKeysForKeyName", ver, with("keyName", "provisioningserviceowner")},
		{"POST", dpsPS + "/LISTKEYS" + q, "IotDpsResource_ListKeys", ver, with()},
		{"GET", dpsPS + "/operationresults/MTY5OTc3NjctNjQzNS00NmQ3LWEyMzgtMjc4NGZiZjA4ZDBi" + q + "&asyncinfo=true",
			"IotDpsResource_GetOperationResult", ver, with("operationId", "MTY5OTc3NjctNjQzNS00NmQ3LWEyMzgtMjc4NGZiZjA4ZDBi")},
		{"GET", dpsPS + "/skus/" + q + "#fragment", "IotDpsResource_listValidSkus", ver, with()},
	}
}

func routeCases() []routeCase {
	// The private link operations name the service segment {resourceName}.
	pl := map[string]string{"subscriptionId": testSub, "resourceGroupName": testRG, "resourceName": testDPS}
	plWith := func(k, v string) map[string]string {
		m := map[string]string{k: v}
		for a, b := range pl {
			m[a] = b
		}
		return m
	}
	const d22 = "2022-12-12"
	q := "?api-version=" + d22
	apim := map[string]string{"subscriptionId": testSub, "resourceGroupName": testRG, "serviceName": testAPIM}
	apimWith := func(cert string) map[string]string {
		m := map[string]string{"certificateId": cert}
		for a, b := range apim {
			m[a] = b
		}
		return m
	}
	const av = "?api-version=2024-05-01"

	cases := append(dpsRouteCases("2018-01-22"), dpsRouteCases(d22)...)
	cases = append(cases,
		routeCase{"GET", dpsPS + "/privateEndpointConnections" + q, "IotDpsResource_ListPrivateEndpointConnections", d22, pl},
		routeCase{"GET", dpsPS + "/privateEndpointConnections/myPrivateEndpointConnection" + q,
			"IotDpsResource_GetPrivateEndpointConnection", d22, plWith("privateEndpointConnectionName", "myPrivateEndpointConnection")},
		routeCase{"PUT", "https://management.azure.com" + dpsPS + "/privateendpointconnections/myPrivateEndpointConnection" + q,
			"IotDpsResource_CreateOrUpdatePrivateEndpointConnection", d22, plWith("privateEndpointConnectionName", "myPrivateEndpointConnection")},
		routeCase{"DELETE", "http://gateway.local:8080" + dpsPS + "/privateEndpointConnections/pec%201/" + q,
			"IotDpsResource_DeletePrivateEndpointConnection", d22, plWith("privateEndpointConnectionName", "pec 1")},
		routeCase{"GET", dpsPS + "/privateLinkResources?API-VERSION=" + d22, "IotDpsResource_ListPrivateLinkResources", d22, pl},
		routeCase{"GET", dpsPS + "/PrivateLinkResources/iotDps" + q, "IotDpsResource_GetPrivateLinkResources", d22, plWith("groupId", "iotDps")},

		routeCase{"GET", "https://management.azure.com" + apimS + "/certificates" + av + "&$top=10&$skip=0", "Certificate_ListByService", "2024-05-01", apim},
		routeCase{"HEAD", apimS + "/certificates/tempcert" + av, "Certificate_GetEntityTag", "2024-05-01", apimWith("tempcert")},
		routeCase{"GET", "http://gateway.local:8080" + apimS + "/certificates/my%20cert" + av, "Certificate_Get", "2024-05-01", apimWith("my cert")},
		routeCase{"PUT", strings.ToLower(apimS) + "/CERTIFICATES/TempCert/" + av, "Certificate_CreateOrUpdate", "2024-05-01",
			map[string]string{"subscriptionId": testSub, "resourceGroupName": strings.ToLower(testRG), "serviceName": strings.ToLower(testAPIM), "certificateId": "TempCert"}},
		routeCase{"delete", apimS + "/certificates/tempcert?API-VERSION=2024-05-01", "Certificate_Delete", "2024-05-01", apimWith("tempcert")},
		routeCase{"POST", apimS + "/certificates/templateCert1/refreshSecret" + av, "Certificate_RefreshSecret", "2024-05-01", apimWith("templateCert1")},
	)
	return cases
}

func TestRoute(t *testing.T) {
	reg, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	cases := routeCases()

	// Every embedded operation is routed by exactly one row at least.
	covered := map[string]bool{}
	for _, tc := range cases {
		covered[tc.id+"@"+tc.ver] = true
	}
	total := 0
	for _, c := range reg.Contracts() {
		for _, op := range c.Operations {
			total++
			if !covered[op.ID+"@"+c.APIVersion] {
				t.Errorf("no route case for %s at %s", op.ID, c.APIVersion)
			}
		}
	}
	if total != 48 || len(covered) != 48 {
		t.Errorf("embedded operations %d, covered %d; want 48", total, len(covered))
	}

	for _, tc := range cases {
		t.Run(tc.id+"@"+tc.ver, func(t *testing.T) {
			m, err := reg.Route(tc.method, tc.url)
			if err != nil {
				t.Fatalf("Route(%s %s): %v", tc.method, tc.url, err)
			}
			if m.Operation.ID != tc.id || m.APIVersion != tc.ver {
				t.Fatalf("Route(%s %s) = %s@%s, want %s@%s", tc.method, tc.url, m.Operation.ID, m.APIVersion, tc.id, tc.ver)
			}
			want, err := reg.Operation(tc.id, tc.ver)
			if err != nil || want != m.Operation {
				t.Errorf("Registry.Operation(%q, %q) = %p, %v; Route gave %p", tc.id, tc.ver, want, err, m.Operation)
			}
			got := map[string]string{}
			for _, p := range m.Operation.Params {
				if p.In != "path" {
					continue
				}
				v, ok := m.PathValue(p.Name)
				if !ok {
					t.Errorf("PathValue(%q) not found", p.Name)
				}
				got[p.Name] = v
				if sv := m.SegmentValue(p.Segment); sv != v {
					t.Errorf("SegmentValue(%d) = %q, PathValue(%q) = %q", p.Segment, sv, p.Name, v)
				}
				// Parameter names match case-insensitively.
				if u, ok := m.PathValue(strings.ToUpper(p.Name)); !ok || u != v {
					t.Errorf("PathValue(%q) = %q, %v; want %q", strings.ToUpper(p.Name), u, ok, v)
				}
			}
			if !reflect.DeepEqual(got, tc.values) {
				t.Errorf("path values = %v, want %v", got, tc.values)
			}
			if v, ok := m.PathValue("noSuchParameter"); ok || v != "" {
				t.Errorf("PathValue(noSuchParameter) = %q, %v", v, ok)
			}
		})
	}
}

// TestRouteParameterNamesByTemplate checks that the same URL segment answers
// to the name its own template gives it: provisioningServiceName on the
// certificate operations, resourceName on the private link ones.
func TestRouteParameterNamesByTemplate(t *testing.T) {
	reg, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	m, err := reg.Route("GET", dpsPS+"/certificates/c?api-version=2022-12-12")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.PathValue("resourceName"); ok {
		t.Error("certificate operation answers to resourceName")
	}
	m, err = reg.Route("GET", dpsPS+"/privateLinkResources?api-version=2022-12-12")
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := m.PathValue("resourceName"); v != testDPS {
		t.Errorf("resourceName = %q, want %q", v, testDPS)
	}
	if _, ok := m.PathValue("provisioningServiceName"); ok {
		t.Error("private link operation answers to provisioningServiceName")
	}
}

func TestRouteMiss(t *testing.T) {
	reg, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	certPath := "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ApiManagement/service/{serviceName}/certificates/{certificateId}"
	psPath := "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Devices/provisioningServices/{provisioningServiceName}"
	tests := []struct {
		name     string
		method   string
		url      string
		want     RouteError // fields compared when set
		messages []string   // substrings of Error()
	}{
		{
			name: "other provider", method: "GET",
			url:      "https://management.azure.com/subscriptions/" + testSub + "/resourceGroups/" + testRG + "/providers/Microsoft.Web/sites/site1?api-version=2022-03-01",
			want:     RouteError{Kind: NoContract, Resource: "Microsoft.Web/sites"},
			messages: []string{`no contract for Microsoft.Web/sites`, "GET /subscriptions/"},
		},
		{
			name: "nested resource of another provider", method: "PUT",
			url:      "/subscriptions/" + testSub + "/resourceGroups/" + testRG + "/providers/Microsoft.Web/sites/site1/slots/staging/?api-version=2022-03-01",
			want:     RouteError{Kind: NoContract, Resource: "Microsoft.Web/sites/slots"},
			messages: []string{"Microsoft.Web/sites/slots"},
		},
		{
			name: "unknown child of a known resource", method: "GET",
			url:      dpsPS + "/widgets/w1?api-version=2022-12-12",
			want:     RouteError{Kind: NoContract, Resource: "Microsoft.Devices/provisioningServices/widgets"},
			messages: []string{"Microsoft.Devices/provisioningServices/widgets"},
		},
		{
			name: "subscription", method: "GET",
			url:      "https://management.azure.com/subscriptions/" + testSub + "?api-version=2022-12-01",
			want:     RouteError{Kind: NoContract, Resource: "subscriptions (Microsoft.Resources)"},
			messages: []string{"subscriptions (Microsoft.Resources)"},
		},
		{
			name: "resource group", method: "PUT",
			url:      "/subscriptions/" + testSub + "/resourcegroups/" + testRG + "?api-version=2021-04-01",
			want:     RouteError{Kind: NoContract, Resource: "resource groups (Microsoft.Resources)"},
			messages: []string{"resource groups (Microsoft.Resources)"},
		},
		{
			name: "root", method: "GET", url: "https://management.azure.com/",
			want: RouteError{Kind: NoContract, Path: "/", Resource: "path /"},
		},
		{
			name: "no api-version", method: "GET", url: "https://management.azure.com" + dpsPS,
			want:     RouteError{Kind: NoAPIVersion, Template: psPath, Supported: []string{"2018-01-22", "2022-12-12"}},
			messages: []string{"no api-version", "2018-01-22, 2022-12-12"},
		},
		{
			name: "empty api-version", method: "GET", url: dpsPS + "?api-version=&x=1",
			want: RouteError{Kind: NoAPIVersion, Supported: []string{"2018-01-22", "2022-12-12"}},
		},
		{
			name: "api-version only in another key", method: "GET", url: apimS + "/certificates?apiversion=2024-05-01",
			want: RouteError{Kind: NoAPIVersion, Supported: []string{"2024-05-01"}},
		},
		{
			name: "unsupported api-version", method: "GET", url: dpsPS + "/certificates/cert1?api-version=2022-02-05",
			want: RouteError{Kind: UnsupportedAPIVersion, APIVersion: "2022-02-05",
				Template: psPath + "/certificates/{certificateName}", Supported: []string{"2018-01-22", "2022-12-12"}},
			messages: []string{`api-version "2022-02-05"`, "embedded: 2018-01-22, 2022-12-12"},
		},
		{
			name: "path only at a newer api-version", method: "GET", url: dpsPS + "/privateEndpointConnections?api-version=2018-01-22",
			want: RouteError{Kind: UnsupportedAPIVersion, APIVersion: "2018-01-22", Supported: []string{"2022-12-12"}},
			// The message names 2022-12-12 as the only embedded version.
			messages: []string{"embedded: 2022-12-12"},
		},
		{
			name: "unsupported api-version on APIM", method: "GET", url: apimS + "/certificates/c1?api-version=2022-08-01",
			want: RouteError{Kind: UnsupportedAPIVersion, APIVersion: "2022-08-01", Supported: []string{"2024-05-01"}},
		},
		{
			name: "PATCH on APIM certificate", method: "PATCH", url: "https://management.azure.com" + apimS + "/certificates/c1?api-version=2024-05-01",
			want:     RouteError{Kind: MethodNotAllowed, APIVersion: "2024-05-01", Template: certPath, Allowed: []string{"DELETE", "GET", "HEAD", "PUT"}},
			messages: []string{"method PATCH", "allowed: DELETE, GET, HEAD, PUT"},
		},
		{
			name: "POST on a provisioning service", method: "POST", url: dpsPS + "?api-version=2018-01-22",
			want: RouteError{Kind: MethodNotAllowed, APIVersion: "2018-01-22", Template: psPath, Allowed: []string{"DELETE", "GET", "PATCH", "PUT"}},
		},
		{
			name: "GET on name availability", method: "GET",
			url:      "/subscriptions/" + testSub + "/providers/Microsoft.Devices/checkProvisioningServiceNameAvailability?api-version=2022-12-12",
			want:     RouteError{Kind: MethodNotAllowed, APIVersion: "2022-12-12", Allowed: []string{"POST"}},
			messages: []string{"allowed: POST"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := reg.Route(tc.method, tc.url)
			if err == nil {
				t.Fatalf("Route(%s %s) = %s, want a %s miss", tc.method, tc.url, m.Operation.ID, kindName(tc.want.Kind))
			}
			var re *RouteError
			if !errors.As(err, &re) {
				t.Fatalf("error %T is not a *RouteError: %v", err, err)
			}
			w := tc.want
			if re.Kind != w.Kind {
				t.Errorf("Kind = %s, want %s (%v)", kindName(re.Kind), kindName(w.Kind), err)
			}
			if !strings.EqualFold(re.Method, tc.method) {
				t.Errorf("Method = %q", re.Method)
			}
			check := func(field, got, want string) {
				if want != "" && got != want {
					t.Errorf("%s = %q, want %q", field, got, want)
				}
			}
			check("Path", re.Path, w.Path)
			check("Resource", re.Resource, w.Resource)
			check("Template", re.Template, w.Template)
			check("APIVersion", re.APIVersion, w.APIVersion)
			if w.Supported != nil && !reflect.DeepEqual(re.Supported, w.Supported) {
				t.Errorf("Supported = %v, want %v", re.Supported, w.Supported)
			}
			if w.Allowed != nil && !reflect.DeepEqual(re.Allowed, w.Allowed) {
				t.Errorf("Allowed = %v, want %v", re.Allowed, w.Allowed)
			}
			if w.Kind != NoContract && re.Template == "" {
				t.Error("Template is empty")
			}
			for _, s := range tc.messages {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("message %q does not contain %q", err.Error(), s)
				}
			}
		})
	}
}

func kindName(k MissKind) string {
	switch k {
	case NoContract:
		return "NoContract"
	case NoAPIVersion:
		return "NoAPIVersion"
	case UnsupportedAPIVersion:
		return "UnsupportedAPIVersion"
	case MethodNotAllowed:
		return "MethodNotAllowed"
	}
	return fmt.Sprintf("MissKind(%d)", k)
}

func TestRegistryOperation(t *testing.T) {
	reg, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id, ver string
		wantVer string // "" when an error is expected
		errHas  []string
	}{
		{id: "DpsCertificate_Get", ver: "2018-01-22", wantVer: "2018-01-22"},
		{id: "dpscertificate_get", ver: "2022-12-12", wantVer: "2022-12-12"}, // case-insensitive id
		{id: "Certificate_Get", ver: "", wantVer: "2024-05-01"},              // one api-version: no need to name it
		{id: "IotDpsResource_ListPrivateLinkResources", ver: "", wantVer: "2022-12-12"},
		{id: "DpsCertificate_Get", ver: "", errHas: []string{"several api-versions", "2018-01-22, 2022-12-12"}},
		{id: "IotDpsResource_ListPrivateLinkResources", ver: "2018-01-22", errHas: []string{`"2018-01-22"`, "embedded: 2022-12-12"}},
		{id: "Certificate_Get", ver: "2022-02-05", errHas: []string{"embedded: 2024-05-01"}},
		{id: "Sites_Get", ver: "2022-03-01", errHas: []string{`"Sites_Get"`}},
	}
	for _, tc := range tests {
		op, err := reg.Operation(tc.id, tc.ver)
		if tc.wantVer == "" {
			if err == nil {
				t.Errorf("Operation(%q, %q) = %s@%s, want an error", tc.id, tc.ver, op.ID, op.Contract.APIVersion)
				continue
			}
			for _, s := range tc.errHas {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("Operation(%q, %q) error %q does not contain %q", tc.id, tc.ver, err, s)
				}
			}
			continue
		}
		if err != nil {
			t.Errorf("Operation(%q, %q): %v", tc.id, tc.ver, err)
			continue
		}
		if !strings.EqualFold(op.ID, tc.id) || op.Contract.APIVersion != tc.wantVer {
			t.Errorf("Operation(%q, %q) = %s@%s, want api-version %s", tc.id, tc.ver, op.ID, op.Contract.APIVersion, tc.wantVer)
		}
	}
}

func TestQueryValue(t *testing.T) {
	tests := []struct {
		query, key string
		want       string
		ok         bool
	}{
		{"api-version=2022-12-12", "api-version", "2022-12-12", true},
		{"a=1&API-VERSION=2018-01-22&api-version=x", "api-version", "2018-01-22", true}, // first wins
		{"api%2Dversion=2024-05-01", "api-version", "2024-05-01", true},                 // encoded key
		{"$filter=name+eq+%27a%27", "$filter", "name eq 'a'", true},
		{"api-version", "api-version", "", true},
		{"x=1", "api-version", "", false},
		{"", "api-version", "", false},
	}
	for _, tc := range tests {
		got, ok := QueryValue(tc.query, tc.key)
		if got != tc.want || ok != tc.ok {
			t.Errorf("QueryValue(%q, %q) = %q, %v; want %q, %v", tc.query, tc.key, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSplitURL(t *testing.T) {
	tests := []struct{ raw, path, query string }{
		{"https://management.azure.com/subscriptions/s?api-version=1", "/subscriptions/s", "api-version=1"},
		{"http://gateway.local:8080/a/b", "/a/b", ""},
		{"https://management.azure.com", "/", ""},
		{"https://management.azure.com?api-version=1", "/", "api-version=1"},
		{"/a/b?next=https://x/y", "/a/b", "next=https://x/y"},
		{"/a#frag", "/a", ""},
		{"", "/", ""},
	}
	for _, tc := range tests {
		p, q := splitURL(tc.raw)
		if p != tc.path || q != tc.query {
			t.Errorf("splitURL(%q) = %q, %q; want %q, %q", tc.raw, p, q, tc.path, tc.query)
		}
	}
}

// TestRouteEmptySegment: an empty segment still binds its parameter, so that
// validation reports the empty value against the parameter's schema (for
// example minLength 1) rather than a vaguer routing miss.
func TestRouteEmptySegment(t *testing.T) {
	reg, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	m, err := reg.Route("GET", "/subscriptions/"+testSub+"/resourceGroups//providers/Microsoft.ApiManagement/service/"+testAPIM+"/certificates/c1?api-version=2024-05-01")
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := m.PathValue("resourceGroupName"); m.Operation.ID != "Certificate_Get" || !ok || v != "" {
		t.Errorf("routed to %s with resourceGroupName %q, %v", m.Operation.ID, v, ok)
	}
	if v, _ := m.PathValue("serviceName"); v != testAPIM {
		t.Errorf("serviceName = %q, want %q", v, testAPIM)
	}
}

// TestRouteBacktracking routes over templates where a literal and a
// parameter compete for a segment: the literal wins, and when its branch
// dead-ends the parameter is tried with its value bound (and decoded) anew.
func TestRouteBacktracking(t *testing.T) {
	const doc = `openapi: 3.0.3
info: {title: t, version: '2024-01-01'}
paths:
  /things/{thing}/parts:
    parameters:
      - {name: thing, in: path, required: true, schema: {type: string}}
    get: {operationId: Parts_List, responses: {'200': {description: OK}}}
  /things/{thing}/parts/{part}/{side}:
    parameters:
      - {name: thing, in: path, required: true, schema: {type: string}}
      - {name: part, in: path, required: true, schema: {type: string}}
      - {name: side, in: path, required: true, schema: {type: string}}
    get: {operationId: Parts_GetSide, responses: {'200': {description: OK}}}
  /things/special/parts/{part}:
    parameters:
      - {name: part, in: path, required: true, schema: {type: string}}
    get: {operationId: Special_GetPart, responses: {'200': {description: OK}}}
`
	d, err := openapi3.NewLoader().LoadFromData([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewContract(d, "inline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	reg, err := NewRegistry(c)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", 70000) // beyond what a span of the path holds
	tests := []struct {
		url    string
		id     string
		values map[string]string
	}{
		{"/things/special/parts/p1", "Special_GetPart", map[string]string{"part": "p1"}},
		{"/things/SPECIAL/parts/p%201", "Special_GetPart", map[string]string{"part": "p 1"}},
		// The literal branch takes "special" and "p1", then dead-ends.
		{"/things/special/parts/p1/left", "Parts_GetSide", map[string]string{"thing": "special", "part": "p1", "side": "left"}},
		{"/things/%73pecial/parts/p%2F1/left", "Parts_GetSide", map[string]string{"thing": "special", "part": "p/1", "side": "left"}},
		// The dead-end branch decoded "p 1" into the slot "special" reuses.
		{"/things/special/parts/p%201/left", "Parts_GetSide", map[string]string{"thing": "special", "part": "p 1", "side": "left"}},
		{"/things/special/parts", "Parts_List", map[string]string{"thing": "special"}},
		{"/things/t1/parts/" + long + "/r%69ght", "Parts_GetSide", map[string]string{"thing": "t1", "part": long, "side": "right"}},
	}
	for _, tc := range tests {
		m, err := reg.Route("GET", tc.url+"?api-version=2024-01-01")
		if err != nil {
			t.Errorf("Route(%.80s): %v", tc.url, err)
			continue
		}
		if m.Operation.ID != tc.id {
			t.Errorf("Route(%.80s) = %s, want %s", tc.url, m.Operation.ID, tc.id)
			continue
		}
		got := map[string]string{}
		for _, p := range m.Operation.Params {
			got[p.Name], _ = m.PathValue(p.Name)
		}
		if !reflect.DeepEqual(got, tc.values) {
			t.Errorf("Route(%.80s) values = %.200v, want %.200v", tc.url, got, tc.values)
		}
	}
}

// TestRouteAllocs holds Route to one allocation (the returned Match) for a
// hit on an unescaped URL.
func TestRouteAllocs(t *testing.T) {
	reg, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range benchRoutes {
		if n := testing.AllocsPerRun(100, func() { _, _ = reg.Route(r.method, r.url) }); n > 1 {
			t.Errorf("Route(%s %s) allocates %v times, want at most 1", r.method, r.url, n)
		}
	}
}

// TestRouteConcurrent routes from many goroutines at once; run with -race.
func TestRouteConcurrent(t *testing.T) {
	reg, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	cases := routeCases()
	done := make(chan error)
	for g := 0; g < 8; g++ {
		go func() {
			for i := 0; i < 50; i++ {
				for _, tc := range cases {
					m, err := reg.Route(tc.method, tc.url)
					if err != nil {
						done <- err
						return
					}
					if m.Operation.ID != tc.id {
						done <- errors.New(tc.url + " routed to " + m.Operation.ID)
						return
					}
				}
			}
			done <- nil
		}()
	}
	for g := 0; g < 8; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// FuzzLiteralMatch checks the fast literal comparison against
// strings.EqualFold, which it must agree with for every segment.
func FuzzLiteralMatch(f *testing.F) {
	for _, s := range [][2]string{
		{"providers", "PROVIDERS"}, {"providers", "provider"}, {"providers", "providerz"},
		{"provisioningServices", "provisioningſervices"}, // U+017F folds to s
		{"keys", "Keys"}, {"keys", "\u212Aeys"}, // Kelvin sign folds to k
		{"skus", "skus/"}, {"a", "é"}, {"Microsoft.Devices", "microsoft.devices"},
		{"ü", "Ü"}, {"ü", "u"}, {"", ""}, {"@[", "`{"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, lit, seg string) {
		e := litEdge{lit: lit, ascii: isASCII(lit)}
		if got, want := e.match(seg), strings.EqualFold(lit, seg); got != want {
			t.Errorf("litEdge{%q}.match(%q) = %v, strings.EqualFold = %v", lit, seg, got, want)
		}
	})
}
