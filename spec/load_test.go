package spec

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestLoadFilePublished loads the published Swagger files as a user would
// pass them, unchanged, and checks that the loaded contract carries every
// fact of the Swagger (the same comparison as the conformance test) plus the
// repairs the loader makes over plain openapi2conv.
func TestLoadFilePublished(t *testing.T) {
	requireAzureSpecs(t)
	tests := []struct {
		swagger    string
		provider   string
		apiVersion string
		operations int
	}{
		{d18Swagger, "Microsoft.Devices", "2018-01-22", 18},
		{d22Swagger, "Microsoft.Devices", "2022-12-12", 24},
		{apimSwagger, "Microsoft.ApiManagement", "2024-05-01", 6},
	}
	for _, tc := range tests {
		t.Run(tc.provider+"@"+tc.apiVersion, func(t *testing.T) {
			path := filepath.Join(azureSpecs, filepath.FromSlash(tc.swagger))
			c, err := LoadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if c.Provider != tc.provider || c.APIVersion != tc.apiVersion || len(c.Operations) != tc.operations {
				t.Errorf("loaded %s@%s with %d operations, want %s@%s with %d",
					c.Provider, c.APIVersion, len(c.Operations), tc.provider, tc.apiVersion, tc.operations)
			}
			if c.Source != filepath.ToSlash(path) {
				t.Errorf("Source = %q, want %q", c.Source, filepath.ToSlash(path))
			}
			want, _ := newRawSwagger(t).facts(path)
			got, _ := contractFacts(c)
			checkDifferences(t, want, got, nil)
		})
	}
}

func TestLoadFilePublishedRepairs(t *testing.T) {
	requireAzureSpecs(t)
	apim, err := LoadFile(filepath.Join(azureSpecs, filepath.FromSlash(apimSwagger)))
	if err != nil {
		t.Fatal(err)
	}
	d22, err := LoadFile(filepath.Join(azureSpecs, filepath.FromSlash(d22Swagger)))
	if err != nil {
		t.Fatal(err)
	}

	// Parameters defined in other files (apimanagement.json, common-types
	// v5) keep their constraints.
	get := operation(t, apim, "Certificate_Get")
	sn := param(t, get, "path", "serviceName").Schema.Value
	if sn.Pattern != `^[a-zA-Z](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$` || sn.MinLength != 1 || sn.MaxLength == nil || *sn.MaxLength != 50 {
		t.Errorf("serviceName schema lost constraints: pattern %q min %d max %v", sn.Pattern, sn.MinLength, sn.MaxLength)
	}
	if f := param(t, get, "path", "subscriptionId").Schema.Value.Format; f != "uuid" {
		t.Errorf("subscriptionId format = %q, want uuid", f)
	}
	cid := param(t, get, "path", "certificateId").Schema.Value
	if cid.Pattern != `^[^*#&+:<>?]+$` || cid.MaxLength == nil || *cid.MaxLength != 80 {
		t.Errorf("certificateId schema lost constraints: pattern %q max %v", cid.Pattern, cid.MaxLength)
	}
	list := operation(t, apim, "Certificate_ListByService")
	if top := param(t, list, "query", "$top").Schema.Value; top.Min == nil || *top.Min != 1 || top.Format != "int32" {
		t.Errorf("$top schema = min %v format %q, want min 1 int32", top.Min, top.Format)
	}
	if !param(t, operation(t, apim, "Certificate_Delete"), "header", "If-Match").Required {
		t.Error("Certificate_Delete If-Match is not required")
	}

	// readOnly next to $ref (systemData in 2022-12-12) survives as
	// allOf:[{$ref}] + readOnly.
	resp := operation(t, d22, "DpsCertificate_Get").ResponseFor(200)
	sd := resp.Schema.Value.Properties["systemData"]
	if sd == nil || !sd.Value.ReadOnly {
		t.Fatalf("systemData is not readOnly: %+v", sd)
	}
	if len(sd.Value.AllOf) != 1 || sd.Value.AllOf[0].Value.Properties["createdAt"] == nil {
		t.Errorf("systemData wrapper does not reach the common-types definition: %+v", sd.Value)
	}

	// x-ms-enum survives on schemas, and moves from the query parameter
	// certificate.purpose to its schema.
	pem := d22.Doc.Components.Schemas["IotDpsSkuInfo"].Value.Properties["name"].Value
	if got := pem.Extensions["x-ms-enum"]; !reflect.DeepEqual(got, map[string]any{"name": "IotDpsSku", "modelAsString": true}) {
		t.Errorf("IotDpsSkuInfo.name x-ms-enum = %v", got)
	}
	purpose := param(t, operation(t, d22, "DpsCertificate_Delete"), "query", "certificate.purpose")
	if got := purpose.Schema.Value.Extensions["x-ms-enum"]; !reflect.DeepEqual(got, map[string]any{"name": "CertificatePurpose", "modelAsString": true}) {
		t.Errorf("certificate.purpose schema x-ms-enum = %v", got)
	}
	if !reflect.DeepEqual(purpose.Schema.Value.Enum, []any{"clientAuthentication", "serverAuthentication"}) {
		t.Errorf("certificate.purpose enum = %v", purpose.Schema.Value.Enum)
	}

	// The renamed definition keeps its Swagger name.
	name := "SharedAccessSignatureAuthorizationRule[AccessRightsDescription]"
	s := d22.Doc.Components.Schemas[ComponentName(name)]
	if s == nil || s.Value.Extensions[SwaggerNameKey] != name {
		t.Errorf("component %q missing or without %s", ComponentName(name), SwaggerNameKey)
	}
}

func operation(t *testing.T, c *Contract, id string) *Operation {
	t.Helper()
	for _, op := range c.Operations {
		if op.ID == id {
			return op
		}
	}
	t.Fatalf("%s has no operation %s", c.Source, id)
	return nil
}

func param(t *testing.T, op *Operation, in, name string) *Parameter {
	t.Helper()
	for _, p := range op.Params {
		if p.In == in && p.Name == name {
			return p
		}
	}
	t.Fatalf("%s has no %s parameter %q", op.ID, in, name)
	return nil
}

// TestLoadFileSwaggerFixture loads testdata/swagger/widgets.json, which
// refers to common.json in the same directory.
func TestLoadFileSwaggerFixture(t *testing.T) {
	const file = "testdata/swagger/widgets.json"
	c, err := LoadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if c.Provider != "Contoso.Widgets" || c.APIVersion != "2023-01-01" || len(c.Operations) != 3 {
		t.Fatalf("loaded %s@%s with %d operations", c.Provider, c.APIVersion, len(c.Operations))
	}

	// Independent check of every fact against the raw Swagger.
	want, _ := newRawSwagger(t).facts(file)
	got, _ := contractFacts(c)
	checkDifferences(t, want, got, nil)

	get := operation(t, c, "Widgets_Get")
	if f := param(t, get, "path", "subscriptionId").Schema.Value.Format; f != "uuid" {
		t.Errorf("external subscriptionId format = %q", f)
	}
	if m := param(t, get, "query", "api-version").Schema.Value.MinLength; m != 1 {
		t.Errorf("external api-version minLength = %d", m)
	}
	wn := param(t, get, "path", "widgetName")
	if wn.Segment != 5 || wn.Schema.Value.Pattern != "^[a-z][a-z0-9-]{2,30}$" {
		t.Errorf("widgetName segment %d pattern %q", wn.Segment, wn.Schema.Value.Pattern)
	}
	color := param(t, get, "query", "color")
	if x := color.Schema.Value.Extensions["x-ms-enum"]; !reflect.DeepEqual(x, map[string]any{"name": "Color", "modelAsString": false}) {
		t.Errorf("color schema x-ms-enum = %v", x)
	}
	if _, left := c.Doc.Paths.Value(get.Path).Get.Parameters[1].Value.Extensions["x-ms-enum"]; left {
		t.Error("x-ms-enum left on the parameter instead of its schema")
	}

	widget := get.ResponseFor(200).Schema.Value
	tests := []struct {
		prop     string
		nullable bool
		xNull    any // x-nullable extension, nil when absent
		readOnly bool
	}{
		{prop: "nickname", nullable: true},                // x-nullable: true
		{prop: "size", xNull: false},                      // x-nullable: false survives
		{prop: "id", readOnly: true},                      // plain readOnly
		{prop: "systemData", readOnly: true},              // readOnly next to an external $ref
		{prop: "tags"},                                    // nothing
		{prop: "properties", nullable: false, xNull: nil}, // $ref with x-ms-client-flatten only
	}
	for _, tc := range tests {
		p := widget.Properties[tc.prop]
		if p == nil {
			t.Errorf("Widget.%s missing", tc.prop)
			continue
		}
		if p.Value.Nullable != tc.nullable || p.Value.Extensions["x-nullable"] != tc.xNull || p.Value.ReadOnly != tc.readOnly {
			t.Errorf("Widget.%s: nullable %v x-nullable %v readOnly %v; want %v %v %v", tc.prop,
				p.Value.Nullable, p.Value.Extensions["x-nullable"], p.Value.ReadOnly, tc.nullable, tc.xNull, tc.readOnly)
		}
	}
	// x-nullable: false next to a $ref to a nullable definition.
	owner := widget.Properties["properties"].Value.Properties["owner"].Value
	if owner.Extensions["x-nullable"] != false || owner.Nullable || len(owner.AllOf) != 1 || !owner.AllOf[0].Value.Nullable {
		t.Errorf("owner: x-nullable %v nullable %v allOf %d", owner.Extensions["x-nullable"], owner.Nullable, len(owner.AllOf))
	}
	if sd := widget.Properties["systemData"].Value; len(sd.AllOf) != 1 || sd.AllOf[0].Value.Properties["createdAt"].Value.Format != "date-time" {
		t.Errorf("systemData does not reach common.json's definition")
	}

	// The external ErrorDetail does not clash with the local one.
	errDetail := get.Default.Schema.Value.Properties["error"].Value
	if errDetail.Properties["code"] == nil || errDetail.Properties["unrelated"] != nil {
		t.Errorf("default error resolved to the wrong ErrorDetail: %v", sortedKeys(errDetail.Properties))
	}

	// Renamed definition and its original name.
	list := operation(t, c, "Widgets_List")
	if !list.Pageable {
		t.Error("Widgets_List is not pageable")
	}
	page := c.Doc.Components.Schemas["Page_Widget"]
	if page == nil || page.Value.Extensions[SwaggerNameKey] != "Page[Widget]" || list.ResponseFor(200).Schema.Value != page.Value {
		t.Error("Page[Widget] was not renamed to Page_Widget with its Swagger name kept")
	}

	put := operation(t, c, "Widgets_CreateOrUpdate")
	if put.Body == nil || put.Body.Name != "widget" || !put.Body.Required || put.Body.Schema.Value != widget {
		t.Errorf("PUT body = %+v", put.Body)
	}
	if !put.LongRunning {
		t.Error("PUT is not long-running")
	}
	if h := get.ResponseFor(200).Headers; len(h) != 1 || h[0].Name != "Etag" || h[0].Declared != "ETag" {
		t.Errorf("GET 200 headers = %+v", h)
	}
}

// TestLoadFileOpenAPI3 loads an OpenAPI 3 contract that refers to a second
// file.
func TestLoadFileOpenAPI3(t *testing.T) {
	const file = "testdata/openapi3/widgets.yaml"
	c, err := LoadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if c.Provider != "Contoso.Widgets" || c.APIVersion != "2023-01-01" || len(c.Operations) != 2 {
		t.Fatalf("loaded %s@%s with %d operations", c.Provider, c.APIVersion, len(c.Operations))
	}
	get := operation(t, c, "Widgets_Get")
	sub := param(t, get, "path", "subscriptionId")
	if sub.Schema.Value.Format != "uuid" {
		t.Errorf("external subscriptionId format = %q", sub.Schema.Value.Format)
	}
	// Ref locates the schema in the file that declares it.
	if want := "testdata/openapi3/common.yaml#/components/parameters/SubscriptionId/schema"; sub.Ref != want {
		t.Errorf("subscriptionId Ref = %q, want %q", sub.Ref, want)
	}
	if wn := param(t, get, "path", "widgetName"); wn.Schema.Value.Pattern != "^(?!-)[a-z0-9-]{3,31}$" {
		t.Errorf("widgetName pattern = %q", wn.Schema.Value.Pattern)
	}
	if e := get.Default.Schema.Value.Properties["error"]; e == nil || e.Value.Properties["code"] == nil {
		t.Error("external ErrorResponse not resolved")
	}
	del := operation(t, c, "Widgets_Delete")
	if !param(t, del, "header", "If-Match").Required || del.Default != nil || len(del.Responses) != 2 {
		t.Errorf("Widgets_Delete: %+v", del)
	}

	reg, err := NewRegistry(c)
	if err != nil {
		t.Fatal(err)
	}
	m, err := reg.Route("DELETE", "/subscriptions/"+testSub+"/providers/contoso.widgets/widgets/w-1?api-version=2023-01-01")
	if err != nil || m.Operation != del {
		t.Fatalf("Route = %v, %v", m, err)
	}
}

func TestLoadFileErrors(t *testing.T) {
	const swaggerHead = `{"swagger": "2.0", "info": {"title": "t", "version": "2023-01-01"}, `
	const oasHead = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '2023-01-01'\n"
	tests := []struct {
		name    string
		files   map[string]string // the first key is loaded
		wantErr string
	}{
		{
			name:    "neither swagger nor openapi",
			files:   map[string]string{"a.json": `{"hello": "world"}`},
			wantErr: `neither "swagger": "2.0" nor "openapi": "3.x"`,
		},
		{
			name:    "swagger 1.2",
			files:   map[string]string{"a.json": `{"swaggerVersion": "1.2", "swagger": "1.2"}`},
			wantErr: `neither "swagger": "2.0"`,
		},
		{
			name:    "not JSON or YAML",
			files:   map[string]string{"a.json": "{\"swagger\": \"2.0\",\n\t: ]"},
			wantErr: "not a JSON or YAML document",
		},
		{
			name: "swagger path parameter not declared",
			files: map[string]string{"a.json": swaggerHead + `"paths": {"/things/{thingName}": {"get": {"operationId": "Things_Get",
				"parameters": [], "responses": {"200": {"description": "OK"}}}}}}`},
			wantErr: "thingName",
		},
		{
			name: "swagger invalid pattern",
			files: map[string]string{"a.json": swaggerHead + `"paths": {"/things/{thingName}": {"get": {"operationId": "Things_Get",
				"parameters": [{"name": "thingName", "in": "path", "required": true, "type": "string", "pattern": "^[a-z"}],
				"responses": {"200": {"description": "OK"}}}}}}`},
			wantErr: "^[a-z",
		},
		{
			name: "swagger operation without operationId",
			files: map[string]string{"a.json": swaggerHead + `"paths": {"/things": {"get": {
				"parameters": [], "responses": {"200": {"description": "OK"}}}}}}`},
			wantErr: "no operationId",
		},
		{
			name:    "swagger without operations",
			files:   map[string]string{"a.json": swaggerHead + `"paths": {}}`},
			wantErr: "no operations",
		},
		{
			name:    "openapi without operations",
			files:   map[string]string{"a.yaml": oasHead + "paths: {}\n"},
			wantErr: "no operations",
		},
		{
			name: "swagger external file missing",
			files: map[string]string{"a.json": swaggerHead + `"paths": {"/things": {"get": {"operationId": "Things_List",
				"parameters": [{"$ref": "./missing.json#/parameters/ApiVersion"}], "responses": {"200": {"description": "OK"}}}}}}`},
			wantErr: `a.json#/paths/~1things/get/parameters/0: $ref "./missing.json#/parameters/ApiVersion"`,
		},
		{
			name: "swagger external definition missing",
			files: map[string]string{
				"a.json": swaggerHead + `"paths": {"/things": {"get": {"operationId": "Things_List",
				"responses": {"200": {"description": "OK", "schema": {"$ref": "./b.json#/definitions/Nope"}}}}}}}`,
				"b.json": `{"swagger": "2.0", "info": {"title": "b", "version": "1"}, "paths": {}, "definitions": {}}`,
			},
			wantErr: `no definitions "Nope"`,
		},
		{
			name: "openapi path parameter not declared",
			files: map[string]string{"a.yaml": oasHead + `paths:
  /things/{thingName}:
    get:
      operationId: Things_Get
      responses:
        '200':
          description: OK
`},
			wantErr: "thingName",
		},
		{
			name: "openapi invalid pattern",
			files: map[string]string{"a.yaml": oasHead + `paths:
  /things:
    get:
      operationId: Things_List
      parameters:
        - name: name
          in: query
          schema:
            type: string
            pattern: '(?<=a'
      responses:
        '200':
          description: OK
`},
			wantErr: "(?<=a",
		},
		{
			name: "openapi response code not a status",
			files: map[string]string{"a.yaml": oasHead + `paths:
  /things:
    get:
      operationId: Things_List
      responses:
        '2XX':
          description: OK
`},
			wantErr: `"2XX"`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			var first string
			for _, name := range sortedKeys(tc.files) {
				if first == "" {
					first = filepath.Join(dir, name)
				}
				if err := os.WriteFile(filepath.Join(dir, name), []byte(tc.files[name]), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			c, err := LoadFile(first)
			if err == nil {
				t.Fatalf("LoadFile succeeded with %d operations, want an error containing %q", len(c.Operations), tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %q does not contain %q", err, tc.wantErr)
			}
			// Every error names the file, so a user loading many
			// contracts knows which one is broken.
			if !strings.HasPrefix(err.Error(), first+": ") {
				t.Errorf("error %q does not start with the file name", err)
			}
		})
	}

	if _, err := LoadFile(filepath.Join(t.TempDir(), "absent.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
}

// TestEmbeddedContractsUpToDate regenerates the embedded contracts from the
// published Swagger files and requires them to equal the committed ones byte
// for byte.
func TestEmbeddedContractsUpToDate(t *testing.T) {
	requireAzureSpecs(t)
	if testing.Short() {
		t.Skip("runs the generator; skipped in -short mode")
	}
	out := t.TempDir()
	cmd := exec.Command("go", "run", "./gencontracts", "-specs", azureSpecs, "-out", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./gencontracts: %v\n%s", err, msg)
	}
	var generated []string
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(out, p)
			generated = append(generated, "contracts/"+filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if embedded := EmbeddedSources(); !reflect.DeepEqual(generated, embedded) {
		t.Fatalf("generated %v, embedded %v", generated, embedded)
	}
	for _, src := range generated {
		want, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(strings.TrimPrefix(src, "contracts/"))))
		if err != nil {
			t.Fatal(err)
		}
		got, err := EmbeddedContract(src)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate ./spec", src)
		}
	}
}

// TestEmbedded checks the registry of shipped contracts.
func TestEmbedded(t *testing.T) {
	reg, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range reg.Contracts() {
		got = append(got, c.Provider+"@"+c.APIVersion+" "+c.Source)
		if c.Doc == nil {
			t.Errorf("%s has no document", c.Source)
		}
		for _, op := range c.Operations {
			if op.Contract != c || !strings.HasPrefix(op.Ref, c.Source+"#/paths/") {
				t.Errorf("%s: contract %p ref %q", op.ID, op.Contract, op.Ref)
			}
		}
	}
	want := []string{
		"Microsoft.ApiManagement@2024-05-01 contracts/microsoft.apimanagement/2024-05-01.json",
		"Microsoft.Devices@2018-01-22 contracts/microsoft.devices/2018-01-22.json",
		"Microsoft.Devices@2022-12-12 contracts/microsoft.devices/2022-12-12.json",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("contracts = %q, want %q", got, want)
	}
	again, _ := Embedded()
	if again != reg {
		t.Error("Embedded() built the registry twice")
	}
	if _, err := EmbeddedContract("contracts/nope.yaml"); err == nil {
		t.Error("EmbeddedContract of an absent file succeeded")
	}
}

// TestNewRegistryDuplicate rejects two contracts declaring the same method,
// path and api-version.
func TestNewRegistryDuplicate(t *testing.T) {
	reg, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	c := reg.Contracts()[0]
	if _, err := NewRegistry(c, c); err == nil || !strings.Contains(err.Error(), "declared twice") {
		t.Errorf("NewRegistry with a duplicate contract: %v", err)
	}
}
