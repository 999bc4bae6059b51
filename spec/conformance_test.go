package spec

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// The conformance test checks that every validation fact of the published
// Swagger 2.0 files made it into the embedded OpenAPI 3 contracts. It reads the
// raw JSON with its own small walker (its own $ref resolution, its own allOf
// merge), so it does not share code, or bugs, with bundle.go and load.go.
// Both sides are reduced to the same list of fact lines, walked from the
// operations, and the lists must be equal.

// azureSpecs is the shared corpus of published Swagger files, relative to the
// spec package directory.
var azureSpecs = filepath.Join("..", "..", "shared", "azure-specs")

func requireAzureSpecs(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(azureSpecs); err != nil {
		t.Skipf("published Azure specs not found at %s (checkout without ../shared/azure-specs): %v", azureSpecs, err)
	}
}

// The three published Swagger files the embedded contracts come from.
const (
	d18Swagger  = "deviceprovisioningservices/resource-manager/Microsoft.Devices/stable/2018-01-22/iotdps.json"
	d22Swagger  = "deviceprovisioningservices/resource-manager/Microsoft.Devices/stable/2022-12-12/iotdps.json"
	apimSwagger = "apimanagement/resource-manager/Microsoft.ApiManagement/stable/2024-05-01/apimcertificates.json"
)

// knownDifference is a fact line that is intentionally present on one side
// only. A listed difference that no longer occurs fails the test, so the list
// cannot go stale.
type knownDifference struct {
	fact   string
	side   string // "swagger" or "contract"
	reason string
}

func TestConformanceWithPublishedSwagger(t *testing.T) {
	requireAzureSpecs(t)
	reg, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		swagger    string
		provider   string
		apiVersion string
		operations int
		// mustHave are fact lines that must occur on both sides; they prove
		// the walkers actually reach the facts this test is about.
		mustHave []string
		// known lists intended differences. There are none today: the
		// renamed definition SharedAccessSignatureAuthorizationRule[...],
		// readOnly next to $ref (allOf wrapper) and the D22 orphan
		// definition CertificateBodyDescription do not show, because both
		// sides are compared as walked from the operations.
		known []knownDifference
	}{
		{
			swagger: d18Swagger, provider: "Microsoft.Devices", apiVersion: "2018-01-22", operations: 18,
			mustHave: []string{
				"DpsCertificate_CreateOrUpdate path/certificateName: required type=string maxLength=256",
				"DpsCertificate_CreateOrUpdate body certificateDescription: required type=object",
				"DpsCertificate_CreateOrUpdate body certificateDescription.certificate: type=string",
				"DpsCertificate_Delete header/If-Match: required type=string",
				"IotDpsResource_Update: PATCH /subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Devices/provisioningServices/{provisioningServiceName} lro",
				"IotDpsResource_Delete responses: 200 202 204 404 default",
				"IotDpsResource_ListKeysForKeyName response 200 body.rights: type=string enum=[ServiceConfig EnrollmentRead EnrollmentWrite DeviceConnect RegistrationStatusRead RegistrationStatusWrite] x-ms-enum=name:AccessRightsDescription,modelAsString:true",
				"IotDpsResource_GetOperationResult query/asyncinfo: required type=string default=\"true\"",
			},
		},
		{
			swagger: d22Swagger, provider: "Microsoft.Devices", apiVersion: "2022-12-12", operations: 24,
			mustHave: []string{
				"DpsCertificate_CreateOrUpdate body certificateDescription.properties.certificate: type=string format=byte",
				"IotDpsResource_Get response 200 body.systemData: readOnly type=object",
				"IotDpsResource_Get response 200 body.systemData.createdByType: type=string enum=[User Application ManagedIdentity Key] x-ms-enum=name:createdByType,modelAsString:true",
				"IotDpsResource_Get response 200 body.name: readOnly type=string pattern=^(?![0-9]+$)(?!-)[a-zA-Z0-9-]{2,49}[a-zA-Z0-9]$",
				"IotDpsResource_Get response 200 body: type=object required=[location properties sku]", // location from allOf Resource
				"IotDpsResource_Get response 200 body.tags: type=object additionalProperties",
				"IotDpsResource_Get response 200 body.tags{}: type=string",
				"DpsCertificate_Delete query/certificate.purpose: type=string enum=[clientAuthentication serverAuthentication] x-ms-enum=name:CertificatePurpose,modelAsString:true",
				"IotDpsResource_DeletePrivateEndpointConnection response 202 headers: Azure-AsyncOperation:string Location:string Retry-After:string",
				"IotDpsResource_ListPrivateEndpointConnections response 200 body: type=array",
			},
		},
		{
			swagger: apimSwagger, provider: "Microsoft.ApiManagement", apiVersion: "2024-05-01", operations: 6,
			mustHave: []string{
				"Certificate_Get path/serviceName: required type=string pattern=^[a-zA-Z](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$ minLength=1 maxLength=50",
				"Certificate_Get path/subscriptionId: required type=string format=uuid",
				"Certificate_ListByService query/$skip: type=integer format=int32 minimum=0",
				"Certificate_Get response 200 headers: ETag:string",
				"Certificate_Get response 200 body.id: readOnly type=string",
				"Certificate_Get response 200 body.properties: type=object required=[expirationDate subject thumbprint]",
				"Certificate_Get response 200 body.properties.keyVault.lastStatus.timeStampUtc: type=string format=date-time",
				"Certificate_Get response default body.error.details[]: <recursive>",
				"Certificate_CreateOrUpdate responses: 200 201 default",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.provider+"@"+tc.apiVersion, func(t *testing.T) {
			c := contractFor(t, reg, tc.provider, tc.apiVersion)
			raw := newRawSwagger(t)
			want, wantOps := raw.facts(filepath.Join(azureSpecs, filepath.FromSlash(tc.swagger)))
			got, gotOps := contractFacts(c)
			if wantOps != tc.operations || gotOps != tc.operations {
				t.Errorf("operations: swagger %d, contract %d, want %d", wantOps, gotOps, tc.operations)
			}
			gotSet, wantSet := lineSet(got), lineSet(want)
			for _, f := range tc.mustHave {
				if !wantSet[f] || !gotSet[f] {
					t.Errorf("expected fact missing (swagger %v, contract %v):\n  %s", wantSet[f], gotSet[f], f)
				}
			}
			checkDifferences(t, want, got, tc.known)
		})
	}
}

// TestConformanceDetectsDrift proves the comparison is not vacuous: a contract
// that lost a constraint, a readOnly flag or a response header differs from
// the published Swagger.
func TestConformanceDetectsDrift(t *testing.T) {
	requireAzureSpecs(t)
	const (
		apimSrc = "contracts/microsoft.apimanagement/2024-05-01.json"
		d22Src  = "contracts/microsoft.devices/2022-12-12.json"
	)
	const apimCert = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ApiManagement/service/{serviceName}/certificates/{certificateId}"
	tests := []struct {
		name    string
		src     string
		swagger string
		mutate  func(doc *openapi3.T)
		want    string // a fact line that must be reported as missing from the contract
	}{
		{
			name: "parameter maxLength", src: apimSrc, swagger: apimSwagger,
			mutate: func(doc *openapi3.T) {
				doc.Components.Parameters["ServiceNameParameter"].Value.Schema.Value.MaxLength = nil
			},
			want: "Certificate_Get path/serviceName: required type=string pattern=^[a-zA-Z](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$ minLength=1 maxLength=50",
		},
		{
			name: "readOnly", src: apimSrc, swagger: apimSwagger,
			mutate: func(doc *openapi3.T) {
				doc.Components.Schemas["Resource"].Value.Properties["id"].Value.ReadOnly = false
			},
			want: "Certificate_Get response 200 body.id: readOnly type=string",
		},
		{
			name: "required", src: apimSrc, swagger: apimSwagger,
			mutate: func(doc *openapi3.T) {
				doc.Components.Schemas["CertificateContractProperties"].Value.Required = []string{"subject"}
			},
			want: "Certificate_Get response 200 body.properties: type=object required=[expirationDate subject thumbprint]",
		},
		{
			name: "response header", src: apimSrc, swagger: apimSwagger,
			mutate: func(doc *openapi3.T) {
				delete(doc.Paths.Value(apimCert).Get.Responses.Value("200").Value.Headers, "ETag")
			},
			want: "Certificate_Get response 200 headers: ETag:string",
		},
		{
			name: "readOnly next to $ref", src: d22Src, swagger: d22Swagger,
			mutate: func(doc *openapi3.T) {
				// The published definition is readOnly too, so dropping
				// only the wrapper's flag changes nothing; replace the
				// wrapper by a schema that is not readOnly at all.
				sd := *doc.Components.Schemas["systemData"].Value
				sd.ReadOnly = false
				doc.Components.Schemas["CertificateResponse"].Value.Properties["systemData"] = &openapi3.SchemaRef{Value: &sd}
			},
			want: "DpsCertificate_Get response 200 body.systemData: readOnly type=object",
		},
		{
			name: "x-ms-enum modelAsString", src: d22Src, swagger: d22Swagger,
			mutate: func(doc *openapi3.T) {
				doc.Components.Schemas["IotDpsSkuInfo"].Value.Properties["name"].Value.Extensions["x-ms-enum"] =
					map[string]any{"name": "IotDpsSku", "modelAsString": false}
			},
			want: "IotDpsResource_Get response 200 body.sku.name: type=string enum=[S1] x-ms-enum=name:IotDpsSku,modelAsString:true",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, err := EmbeddedContract(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := openapi3.NewLoader().LoadFromDataWithPath(data, &url.URL{Path: tc.src})
			if err != nil {
				t.Fatal(err)
			}
			tc.mutate(doc)
			c, err := NewContract(doc, tc.src)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := newRawSwagger(t).facts(filepath.Join(azureSpecs, filepath.FromSlash(tc.swagger)))
			got, _ := contractFacts(c)
			onlyWant, _ := diffLines(want, got)
			if !lineSet(onlyWant)[tc.want] {
				t.Errorf("mutation not detected; facts only in swagger:\n  %s", strings.Join(onlyWant, "\n  "))
			}
		})
	}
}

func contractFor(t *testing.T, reg *Registry, provider, apiVersion string) *Contract {
	t.Helper()
	for _, c := range reg.Contracts() {
		if strings.EqualFold(c.Provider, provider) && c.APIVersion == apiVersion {
			return c
		}
	}
	t.Fatalf("no embedded contract for %s at %s", provider, apiVersion)
	return nil
}

func checkDifferences(t *testing.T, want, got []string, known []knownDifference) {
	t.Helper()
	onlyWant, onlyGot := diffLines(want, got)
	used := map[int]bool{}
	report := func(lines []string, side string) {
		for _, l := range lines {
			found := false
			for i, k := range known {
				if k.side == side && k.fact == l {
					used[i], found = true, true
				}
			}
			if !found {
				if side == "swagger" {
					t.Errorf("published Swagger has, contract lacks:\n  %s", l)
				} else {
					t.Errorf("contract has, published Swagger lacks:\n  %s", l)
				}
			}
		}
	}
	report(onlyWant, "swagger")
	report(onlyGot, "contract")
	for i, k := range known {
		if !used[i] {
			t.Errorf("listed difference no longer occurs (%s): %s", k.reason, k.fact)
		}
	}
}

func diffLines(want, got []string) (onlyWant, onlyGot []string) {
	w, g := lineSet(want), lineSet(got)
	for _, l := range want {
		if !g[l] {
			onlyWant = append(onlyWant, l)
		}
	}
	for _, l := range got {
		if !w[l] {
			onlyGot = append(onlyGot, l)
		}
	}
	return onlyWant, onlyGot
}

func lineSet(lines []string) map[string]bool {
	m := make(map[string]bool, len(lines))
	for _, l := range lines {
		m[l] = true
	}
	return m
}

// schemaSide is one schema on either side of the comparison, before allOf
// merging.
type schemaSide interface {
	// identity names a schema reached through a $ref ("" for an inline
	// schema); it stops the walk on recursive schemas.
	identity() string
	// keywords returns this schema's own validation keywords as text.
	keywords() map[string]string
	required() []string
	allOf() []schemaSide
	properties() map[string]schemaSide
	items() schemaSide
	// additional returns the additionalProperties schema, or nil with
	// "true"/"false"/"" for a boolean or absent one.
	additional() (schemaSide, string)
}

// mergedSchema is a schema with its allOf parents folded in, the way ARM
// models inheritance: the properties and required lists of all parents are
// added, and keywords the schema does not set itself come from a parent.
type mergedSchema struct {
	keywords   map[string]string
	required   map[string]bool
	properties map[string]schemaSide
	items      schemaSide
	addSchema  schemaSide
	addBool    string
}

func merge(s schemaSide) mergedSchema {
	m := mergedSchema{keywords: map[string]string{}, required: map[string]bool{}, properties: map[string]schemaSide{}}
	for _, p := range s.allOf() {
		pm := merge(p)
		for k, v := range pm.keywords {
			m.keywords[k] = v
		}
		for k := range pm.required {
			m.required[k] = true
		}
		for k, v := range pm.properties {
			m.properties[k] = v
		}
		if pm.items != nil {
			m.items = pm.items
		}
		if pm.addSchema != nil || pm.addBool != "" {
			m.addSchema, m.addBool = pm.addSchema, pm.addBool
		}
	}
	for k, v := range s.keywords() {
		m.keywords[k] = v
	}
	for _, r := range s.required() {
		m.required[r] = true
	}
	for k, v := range s.properties() {
		m.properties[k] = v
	}
	if it := s.items(); it != nil {
		m.items = it
	}
	if as, ab := s.additional(); as != nil || ab != "" {
		m.addSchema, m.addBool = as, ab
	}
	return m
}

// keywordOrder fixes the order keywords appear in a fact line.
var keywordOrder = []string{
	"readOnly", "type", "format", "pattern", "minLength", "maxLength", "minimum", "maximum",
	"exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems", "uniqueItems", "multipleOf",
	"enum", "x-ms-enum", "default", "nullable", "x-ms-secret", "x-ms-mutability",
}

// schemaFacts appends one line per schema reachable from s: its merged
// keywords, then its properties, items and additionalProperties.
func schemaFacts(at string, s schemaSide, stack []string, out *[]string) {
	if id := s.identity(); id != "" {
		for _, seen := range stack {
			if seen == id {
				*out = append(*out, at+": <recursive>")
				return
			}
		}
		stack = append(stack, id)
	}
	m := merge(s)
	var b strings.Builder
	b.WriteString(at + ":")
	for _, k := range keywordOrder {
		v, ok := m.keywords[k]
		switch {
		case !ok:
		case v == "":
			b.WriteString(" " + k)
		default:
			b.WriteString(" " + k + "=" + v)
		}
	}
	if len(m.required) > 0 {
		b.WriteString(" required=[" + strings.Join(sortedKeys(m.required), " ") + "]")
	}
	switch {
	case m.addSchema != nil:
		b.WriteString(" additionalProperties")
	case m.addBool != "":
		b.WriteString(" additionalProperties=" + m.addBool)
	}
	*out = append(*out, b.String())
	for _, name := range sortedKeys(m.properties) {
		schemaFacts(at+"."+name, m.properties[name], stack, out)
	}
	if m.items != nil {
		schemaFacts(at+"[]", m.items, stack, out)
	}
	if m.addSchema != nil {
		schemaFacts(at+"{}", m.addSchema, stack, out)
	}
}

// jsonText renders a keyword value the same way on both sides.
func jsonText(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(data)
}

func numberText(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func enumText(values []any) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = fmt.Sprint(v)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// xmsEnumText keeps the validation-relevant members of x-ms-enum.
func xmsEnumText(v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return jsonText(v)
	}
	return fmt.Sprintf("name:%v,modelAsString:%v", m["name"], m["modelAsString"])
}

// ---- the published Swagger side -------------------------------------------

// rawSwagger reads Swagger 2.0 JSON files and resolves local and relative
// external $refs by itself.
type rawSwagger struct {
	t     *testing.T
	files map[string]map[string]any
}

func newRawSwagger(t *testing.T) *rawSwagger {
	return &rawSwagger{t: t, files: map[string]map[string]any{}}
}

func (r *rawSwagger) load(file string) map[string]any {
	file = filepath.Clean(file)
	if doc, ok := r.files[file]; ok {
		return doc
	}
	data, err := os.ReadFile(file)
	if err != nil {
		r.t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		r.t.Fatalf("%s: %v", file, err)
	}
	r.files[file] = doc
	return doc
}

// deref resolves ref as written in file, returning the target, the file it is
// in and its identity.
func (r *rawSwagger) deref(ref, file string) (map[string]any, string, string) {
	filePart, frag, _ := strings.Cut(ref, "#")
	target := filepath.Clean(file)
	if filePart != "" {
		target = filepath.Clean(filepath.Join(filepath.Dir(file), filepath.FromSlash(filePart)))
	}
	var node any = r.load(target)
	if f, err := url.PathUnescape(frag); err == nil {
		frag = f
	}
	if frag != "" {
		for _, tok := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
			tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
			m, ok := node.(map[string]any)
			if !ok {
				r.t.Fatalf("$ref %q in %s: %q is not an object", ref, file, tok)
			}
			if node, ok = m[tok]; !ok {
				r.t.Fatalf("$ref %q in %s: no %q", ref, file, tok)
			}
		}
	}
	m, ok := node.(map[string]any)
	if !ok {
		r.t.Fatalf("$ref %q in %s is not an object", ref, file)
	}
	return m, target, target + "#" + frag
}

// resolve follows $refs of a parameter, response or header object until it
// reaches one that has no $ref.
func (r *rawSwagger) resolve(m map[string]any, file string) (map[string]any, string) {
	for i := 0; ; i++ {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m, file
		}
		if i > 32 {
			r.t.Fatalf("$ref loop at %s in %s", ref, file)
		}
		m, file, _ = r.deref(ref, file)
	}
}

// semanticKeys are the schema keywords this test compares; a $ref with one of
// them beside it is a schema in its own right (the $ref acts as an allOf
// parent), a $ref with only prose beside it is just the referenced schema.
var semanticKeys = map[string]bool{
	"type": true, "format": true, "pattern": true, "minLength": true, "maxLength": true,
	"minimum": true, "maximum": true, "exclusiveMinimum": true, "exclusiveMaximum": true,
	"minItems": true, "maxItems": true, "uniqueItems": true, "multipleOf": true, "enum": true,
	"x-ms-enum": true, "readOnly": true, "default": true, "x-nullable": true, "x-ms-secret": true,
	"x-ms-mutability": true, "required": true, "properties": true, "allOf": true, "items": true,
	"additionalProperties": true,
}

// rawSchema is a Swagger schema object (or a non-body parameter or header,
// which carry schema keywords inline).
type rawSchema struct {
	r    *rawSwagger
	m    map[string]any
	file string
	id   string
	// parent is the target of a $ref that has semantic siblings.
	parent schemaSide
}

func (r *rawSwagger) schema(m map[string]any, file string) schemaSide {
	ref, ok := m["$ref"].(string)
	if !ok {
		return &rawSchema{r: r, m: m, file: file}
	}
	target, tfile, id := r.deref(ref, file)
	resolved := r.schema(target, tfile)
	if rs, ok := resolved.(*rawSchema); ok && rs.id == "" {
		rs.id = id
	}
	for k := range m {
		if semanticKeys[k] {
			return &rawSchema{r: r, m: m, file: file, parent: resolved}
		}
	}
	return resolved
}

func (s *rawSchema) identity() string { return s.id }

func (s *rawSchema) keywords() map[string]string {
	kw := map[string]string{}
	for k, v := range s.m {
		switch k {
		case "type", "format", "pattern":
			kw[k] = fmt.Sprint(v)
		case "minLength", "minItems":
			if f, _ := v.(float64); f != 0 { // 0 is the default
				kw[k] = numberText(f)
			}
		case "maxLength", "maxItems", "minimum", "maximum", "multipleOf":
			kw[k] = numberText(v.(float64))
		case "exclusiveMinimum", "exclusiveMaximum", "uniqueItems", "readOnly":
			if v == true {
				kw[k] = ""
			}
		case "enum":
			kw[k] = enumText(v.([]any))
		case "x-ms-enum":
			kw[k] = xmsEnumText(v)
		case "default", "x-ms-secret", "x-ms-mutability":
			kw[k] = jsonText(v)
		case "x-nullable":
			kw["nullable"] = jsonText(v)
		}
	}
	return kw
}

func (s *rawSchema) required() []string {
	list, _ := s.m["required"].([]any)
	out := make([]string, 0, len(list))
	for _, v := range list {
		out = append(out, fmt.Sprint(v))
	}
	return out
}

func (s *rawSchema) allOf() []schemaSide {
	var out []schemaSide
	if s.parent != nil {
		out = append(out, s.parent)
	}
	list, _ := s.m["allOf"].([]any)
	for _, e := range list {
		out = append(out, s.r.schema(e.(map[string]any), s.file))
	}
	return out
}

func (s *rawSchema) properties() map[string]schemaSide {
	props, _ := s.m["properties"].(map[string]any)
	out := map[string]schemaSide{}
	for name, p := range props {
		out[name] = s.r.schema(p.(map[string]any), s.file)
	}
	return out
}

func (s *rawSchema) items() schemaSide {
	if it, ok := s.m["items"].(map[string]any); ok {
		return s.r.schema(it, s.file)
	}
	return nil
}

func (s *rawSchema) additional() (schemaSide, string) {
	switch v := s.m["additionalProperties"].(type) {
	case map[string]any:
		return s.r.schema(v, s.file), ""
	case bool:
		return nil, strconv.FormatBool(v)
	}
	return nil, ""
}

var swaggerMethods = []string{"get", "put", "post", "delete", "options", "head", "patch"}

// facts returns the fact lines of a Swagger file and its number of operations.
func (r *rawSwagger) facts(file string) ([]string, int) {
	doc := r.load(file)
	paths, _ := doc["paths"].(map[string]any)
	var out []string
	ops := 0
	for _, path := range sortedKeys(paths) {
		item := paths[path].(map[string]any)
		for _, method := range swaggerMethods {
			op, ok := item[method].(map[string]any)
			if !ok {
				continue
			}
			ops++
			id := fmt.Sprint(op["operationId"])
			line := id + ": " + strings.ToUpper(method) + " " + path
			if op["x-ms-long-running-operation"] == true {
				line += " lro"
			}
			if p, ok := op["x-ms-pageable"].(map[string]any); ok {
				line += fmt.Sprintf(" pageable(nextLinkName=%v)", p["nextLinkName"])
			}
			out = append(out, line)

			// Parameters: path-item level first, operation level wins.
			type param struct {
				m    map[string]any
				file string
			}
			params := map[string]param{}
			var order []string
			for _, level := range []any{item["parameters"], op["parameters"]} {
				list, _ := level.([]any)
				for _, e := range list {
					pm, pfile := r.resolve(e.(map[string]any), file)
					key := fmt.Sprint(pm["in"]) + "/" + fmt.Sprint(pm["name"])
					if _, seen := params[key]; !seen {
						order = append(order, key)
					}
					params[key] = param{pm, pfile}
				}
			}
			for _, key := range order {
				p := params[key]
				var lines []string
				if p.m["in"] == "body" {
					schemaFacts(id+" body "+fmt.Sprint(p.m["name"]), r.schema(p.m["schema"].(map[string]any), p.file), nil, &lines)
				} else {
					// A non-body parameter carries its schema keywords inline.
					schemaFacts(id+" "+key, &rawSchema{r: r, m: p.m, file: p.file}, nil, &lines)
				}
				if p.m["required"] == true {
					lines[0] = strings.Replace(lines[0], ":", ": required", 1)
				}
				out = append(out, lines...)
			}

			responses, _ := op["responses"].(map[string]any)
			out = append(out, id+" responses: "+strings.Join(sortedKeys(responses), " "))
			for _, code := range sortedKeys(responses) {
				resp, rfile := r.resolve(responses[code].(map[string]any), file)
				if hs, ok := resp["headers"].(map[string]any); ok && len(hs) > 0 {
					var names []string
					for _, name := range sortedKeys(hs) {
						h, _ := r.resolve(hs[name].(map[string]any), rfile)
						names = append(names, name+":"+fmt.Sprint(h["type"]))
					}
					out = append(out, id+" response "+code+" headers: "+strings.Join(names, " "))
				}
				if s, ok := resp["schema"].(map[string]any); ok {
					schemaFacts(id+" response "+code+" body", r.schema(s, rfile), nil, &out)
				}
			}
		}
	}
	return out, ops
}

// ---- the embedded contract side --------------------------------------------

type oasSchema struct{ ref *openapi3.SchemaRef }

func (s oasSchema) identity() string { return s.ref.Ref }

func (s oasSchema) keywords() map[string]string {
	v := s.ref.Value
	kw := map[string]string{}
	if v.Type != nil && len(*v.Type) > 0 {
		kw["type"] = strings.Join(*v.Type, ",")
	}
	if v.Format != "" {
		kw["format"] = v.Format
	}
	if v.Pattern != "" {
		kw["pattern"] = v.Pattern
	}
	if v.MinLength != 0 {
		kw["minLength"] = strconv.FormatUint(v.MinLength, 10)
	}
	if v.MaxLength != nil {
		kw["maxLength"] = strconv.FormatUint(*v.MaxLength, 10)
	}
	if v.MinItems != 0 {
		kw["minItems"] = strconv.FormatUint(v.MinItems, 10)
	}
	if v.MaxItems != nil {
		kw["maxItems"] = strconv.FormatUint(*v.MaxItems, 10)
	}
	if v.Min != nil {
		kw["minimum"] = numberText(*v.Min)
	}
	if v.Max != nil {
		kw["maximum"] = numberText(*v.Max)
	}
	if v.MultipleOf != nil {
		kw["multipleOf"] = numberText(*v.MultipleOf)
	}
	if v.ExclusiveMin.IsTrue() {
		kw["exclusiveMinimum"] = ""
	}
	if v.ExclusiveMax.IsTrue() {
		kw["exclusiveMaximum"] = ""
	}
	if v.UniqueItems {
		kw["uniqueItems"] = ""
	}
	if v.ReadOnly {
		kw["readOnly"] = ""
	}
	if len(v.Enum) > 0 {
		kw["enum"] = enumText(v.Enum)
	}
	if v.Default != nil {
		kw["default"] = jsonText(v.Default)
	}
	if v.Nullable {
		kw["nullable"] = "true"
	}
	if x, ok := v.Extensions["x-nullable"]; ok {
		kw["nullable"] = jsonText(x)
	}
	if x, ok := v.Extensions["x-ms-enum"]; ok {
		kw["x-ms-enum"] = xmsEnumText(x)
	}
	for _, k := range []string{"x-ms-secret", "x-ms-mutability"} {
		if x, ok := v.Extensions[k]; ok {
			kw[k] = jsonText(x)
		}
	}
	return kw
}

func (s oasSchema) required() []string { return s.ref.Value.Required }

func (s oasSchema) allOf() []schemaSide {
	var out []schemaSide
	for _, p := range s.ref.Value.AllOf {
		out = append(out, oasSchema{p})
	}
	return out
}

func (s oasSchema) properties() map[string]schemaSide {
	out := map[string]schemaSide{}
	for name, p := range s.ref.Value.Properties {
		out[name] = oasSchema{p}
	}
	return out
}

func (s oasSchema) items() schemaSide {
	if s.ref.Value.Items == nil {
		return nil
	}
	return oasSchema{s.ref.Value.Items}
}

func (s oasSchema) additional() (schemaSide, string) {
	ap := s.ref.Value.AdditionalProperties
	if ap.Schema != nil {
		return oasSchema{ap.Schema}, ""
	}
	if ap.Has != nil {
		return nil, strconv.FormatBool(*ap.Has)
	}
	return nil, ""
}

// contractFacts returns the fact lines of a loaded contract, read through the
// typed Operation view the validator uses, and its number of operations.
func contractFacts(c *Contract) ([]string, int) {
	ops := append([]*Operation(nil), c.Operations...)
	sort.Slice(ops, func(i, j int) bool {
		if ops[i].Path != ops[j].Path {
			return ops[i].Path < ops[j].Path
		}
		return methodRank(ops[i].Method) < methodRank(ops[j].Method)
	})
	var out []string
	for _, op := range ops {
		line := op.ID + ": " + op.Method + " " + op.Path
		if op.LongRunning {
			line += " lro"
		}
		if op.Pageable {
			docOp := c.Doc.Paths.Value(op.Path).GetOperation(op.Method)
			p, _ := docOp.Extensions["x-ms-pageable"].(map[string]any)
			line += fmt.Sprintf(" pageable(nextLinkName=%v)", p["nextLinkName"])
		}
		out = append(out, line)
		for _, p := range op.Params {
			var lines []string
			schemaFacts(op.ID+" "+p.In+"/"+p.Name, oasSchema{p.Schema}, nil, &lines)
			if p.Required {
				lines[0] = strings.Replace(lines[0], ":", ": required", 1)
			}
			out = append(out, lines...)
		}
		if b := op.Body; b != nil {
			var lines []string
			schemaFacts(op.ID+" body "+b.Name, oasSchema{b.Schema}, nil, &lines)
			if b.Required {
				lines[0] = strings.Replace(lines[0], ":", ": required", 1)
			}
			out = append(out, lines...)
		}
		var codes []string
		all := append([]*Response(nil), op.Responses...)
		for _, r := range op.Responses {
			codes = append(codes, strconv.Itoa(r.Status))
		}
		if op.Default != nil {
			codes = append(codes, "default")
			all = append(all, op.Default)
		}
		out = append(out, op.ID+" responses: "+strings.Join(codes, " "))
		for _, r := range all {
			code := "default"
			if r.Status != 0 {
				code = strconv.Itoa(r.Status)
			}
			if len(r.Headers) > 0 {
				var names []string
				for _, h := range r.Headers {
					typ := ""
					if h.Schema != nil && h.Schema.Value != nil && h.Schema.Value.Type != nil {
						typ = strings.Join(*h.Schema.Value.Type, ",")
					}
					names = append(names, h.Declared+":"+typ)
				}
				sort.Strings(names)
				out = append(out, op.ID+" response "+code+" headers: "+strings.Join(names, " "))
			}
			if r.Schema != nil {
				schemaFacts(op.ID+" response "+code+" body", oasSchema{r.Schema}, nil, &out)
			}
		}
	}
	return out, len(ops)
}

func methodRank(m string) int {
	for i, s := range swaggerMethods {
		if strings.EqualFold(s, m) {
			return i
		}
	}
	return len(swaggerMethods)
}
