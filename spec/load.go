package spec

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

// LoadFile loads a user's contract from disk: an OpenAPI 3.0 document, or a
// Swagger 2.0 document (JSON or YAML) converted to OpenAPI 3. Relative external
// $refs are resolved in both cases. The contract is validated; a broken
// contract is an error.
func LoadFile(path string) (*Contract, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var head struct {
		Swagger string `json:"swagger" yaml:"swagger"`
		OpenAPI string `json:"openapi" yaml:"openapi"`
	}
	if err := yaml.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("%s: not a JSON or YAML document: %w", path, err)
	}
	var doc *openapi3.T
	switch {
	case head.Swagger == "2.0":
		doc, err = ConvertSwagger(path)
	case len(head.OpenAPI) >= 2 && head.OpenAPI[:2] == "3.":
		loader := openapi3.NewLoader()
		loader.IsExternalRefsAllowed = true
		doc, err = loader.LoadFromFile(path)
	default:
		return nil, fmt.Errorf("%s: neither \"swagger\": \"2.0\" nor \"openapi\": \"3.x\"", path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c, err := NewContract(doc, filepath.ToSlash(path))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// ConvertSwagger reads a Swagger 2.0 document, bundles its relative external
// $refs and converts it to OpenAPI 3 with openapi2conv, repairing what that
// conversion would otherwise lose (schemas of external parameters, keywords
// next to $ref, x-ms-enum on parameters, x-nullable: false).
func ConvertSwagger(path string) (*openapi3.T, error) {
	raw, err := bundleSwagger(path)
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(raw)
	if err != nil {
		return nil, err
	}
	var doc2 openapi2.T
	if err := json.Unmarshal(data, &doc2); err != nil {
		return nil, fmt.Errorf("swagger 2.0: %w", err)
	}
	doc, err := openapi2conv.ToV3(&doc2)
	if err != nil {
		return nil, fmt.Errorf("converting to OpenAPI 3: %w", err)
	}
	repairConverted(doc)
	loader := openapi3.NewLoader()
	if err := loader.ResolveRefsIn(doc, &url.URL{Path: filepath.ToSlash(path)}); err != nil {
		return nil, fmt.Errorf("resolving $refs: %w", err)
	}
	return doc, nil
}

// repairConverted restores what openapi2conv drops or misplaces.
func repairConverted(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	var fixSchema func(ref *openapi3.SchemaRef)
	fixSchema = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		if v, ok := s.Extensions[nullableKey]; ok {
			delete(s.Extensions, nullableKey)
			if b, ok := v.(bool); ok {
				s.Nullable = b
				if !b {
					s.Extensions["x-nullable"] = false
				}
			}
		}
		if len(s.Extensions) == 0 {
			s.Extensions = nil
		}
		for _, p := range s.Properties {
			fixSchema(p)
		}
		for _, p := range s.AllOf {
			fixSchema(p)
		}
		fixSchema(s.Items)
		fixSchema(s.AdditionalProperties.Schema)
	}
	fixParam := func(p *openapi3.ParameterRef) {
		if p == nil || p.Value == nil {
			return
		}
		// openapi2conv leaves a non-body parameter's extensions on the
		// parameter; the ones describing its value belong to its schema.
		if p.Value.Schema != nil && p.Value.Schema.Value != nil {
			for _, k := range []string{"x-ms-enum", nullableKey, "x-ms-secret"} {
				if v, ok := p.Value.Extensions[k]; ok {
					if p.Value.Schema.Value.Extensions == nil {
						p.Value.Schema.Value.Extensions = map[string]any{}
					}
					p.Value.Schema.Value.Extensions[k] = v
					delete(p.Value.Extensions, k)
				}
			}
			fixSchema(p.Value.Schema)
		}
	}
	if doc.Components != nil {
		for _, s := range doc.Components.Schemas {
			fixSchema(s)
		}
		for _, p := range doc.Components.Parameters {
			fixParam(p)
		}
		for _, rb := range doc.Components.RequestBodies {
			if rb.Value != nil {
				for _, mt := range rb.Value.Content {
					fixSchema(mt.Schema)
				}
			}
		}
	}
	if doc.Paths == nil {
		return
	}
	for _, item := range doc.Paths.Map() {
		for _, p := range item.Parameters {
			fixParam(p)
		}
		for _, op := range item.Operations() {
			for _, p := range op.Parameters {
				fixParam(p)
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for _, mt := range op.RequestBody.Value.Content {
					fixSchema(mt.Schema)
				}
			}
			if op.Responses == nil {
				continue
			}
			for _, r := range op.Responses.Map() {
				if r.Value == nil {
					continue
				}
				for _, mt := range r.Value.Content {
					fixSchema(mt.Schema)
				}
				for _, h := range r.Value.Headers {
					if h.Value != nil {
						fixSchema(h.Value.Schema)
					}
				}
			}
		}
	}
}

// validateDoc checks an OpenAPI 3 document the way kin-openapi does, with
// ECMA-262 patterns and Azure's format names accepted.
func validateDoc(doc *openapi3.T) error {
	ctx := openapi3.WithValidationOptions(context.Background(),
		openapi3.SetRegexCompiler(func(expr string) (openapi3.RegexMatcher, error) { return CompilePattern(expr) }),
		openapi3.AllowExtensionsWithRef(),
		openapi3.DisableExamplesValidation(),
	)
	if err := doc.Validate(ctx); err != nil {
		return fmt.Errorf("invalid contract: %w", err)
	}
	return nil
}

var errNoOperations = errors.New("contract declares no operations")
