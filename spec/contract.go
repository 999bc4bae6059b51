package spec

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Contract is one loaded OpenAPI 3 document: one provider at one api-version.
type Contract struct {
	// Provider is the resource provider namespace, for example "Microsoft.Devices".
	Provider string
	// APIVersion is the value of the api-version query parameter this
	// contract answers to (the document's info.version).
	APIVersion string
	// Source names where the contract came from: an embedded path such as
	// "contracts/microsoft.devices/2022-12-12.json" or a file on disk.
	Source string
	// Doc is the resolved OpenAPI 3 document.
	Doc *openapi3.T
	// Operations lists every operation, sorted by path template then method.
	Operations []*Operation
}

// Operation is one HTTP method on one path template, with everything the
// validator needs as typed fields.
type Operation struct {
	ID       string
	Method   string // upper case
	Path     string // template, for example /subscriptions/{subscriptionId}/...
	Contract *Contract
	// Params lists path, query and header parameters (path-item level merged
	// with operation level, operation winning), in declaration order.
	Params []*Parameter
	// Body is the request body, nil when the operation takes none.
	Body *Body
	// Responses lists the declared status codes in ascending order.
	Responses []*Response
	// Default is the "default" response, nil when undeclared.
	Default *Response
	// LongRunning is x-ms-long-running-operation.
	LongRunning bool
	// Pageable is true when x-ms-pageable is declared.
	Pageable bool
	// Ref locates the operation in the contract, for example
	// "contracts/x.json#/paths/~1subscriptions.../get".
	Ref string

	segments []segment
}

// Parameter is a path, query or header parameter.
type Parameter struct {
	Name     string
	In       string // "path", "query" or "header"
	Required bool
	Schema   *openapi3.SchemaRef
	// Ref locates the parameter's schema in the contract.
	Ref string
	// Segment is the index of the path segment a path parameter occupies.
	Segment int
}

// Body is an operation's request body.
type Body struct {
	// Name is the Swagger body parameter name (x-originalParamName), used to
	// find the body inside an x-ms-examples file.
	Name         string
	Required     bool
	Schema       *openapi3.SchemaRef
	ContentTypes []string
	Ref          string
}

// Response is one declared response.
type Response struct {
	// Status is the HTTP status code, 0 for "default".
	Status  int
	Schema  *openapi3.SchemaRef // nil when the response has no body
	Headers []*Header
	// Ref locates the response in the contract; SchemaRef locates its body
	// schema.
	Ref       string
	SchemaRef string
	// ContentTypes lists the declared media types of the body.
	ContentTypes []string
}

// Header is a declared response header.
type Header struct {
	Name     string // canonical form, for example "Etag"
	Declared string // as written in the contract, for example "ETag"
	Required bool
	Schema   *openapi3.SchemaRef
	Ref      string
}

// ResponseFor returns the response declared for status: the exact code, else
// "default" for 4xx and 5xx. It returns nil when the status is undeclared.
func (op *Operation) ResponseFor(status int) *Response {
	for _, r := range op.Responses {
		if r.Status == status {
			return r
		}
	}
	if status >= 400 && op.Default != nil {
		return op.Default
	}
	return nil
}

// NewContract validates doc and builds the typed view of it. source names the
// document in findings.
func NewContract(doc *openapi3.T, source string) (*Contract, error) {
	// Checked before validation, which reports missing paths (as openapi2conv
	// leaves an empty Swagger "paths") as "invalid paths: must be an object".
	if doc.Paths == nil || doc.Paths.Len() == 0 {
		return nil, errNoOperations
	}
	if err := validateDoc(doc); err != nil {
		return nil, err
	}
	c := &Contract{Source: source, Doc: doc}
	if doc.Info != nil {
		c.APIVersion = doc.Info.Version
	}
	providers := map[string]int{}
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			o, err := newOperation(c, path, strings.ToUpper(method), item, op)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", method, path, err)
			}
			c.Operations = append(c.Operations, o)
			if p := providerOf(path); p != "" {
				providers[p]++
			}
		}
	}
	sort.Slice(c.Operations, func(i, j int) bool {
		a, b := c.Operations[i], c.Operations[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Method < b.Method
	})
	best := 0
	for _, p := range sortedKeys(providers) {
		if providers[p] > best {
			c.Provider, best = p, providers[p]
		}
	}
	return c, nil
}

// providerOf returns the namespace after the last "providers" segment.
func providerOf(path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i := len(segs) - 2; i >= 0; i-- {
		if strings.EqualFold(segs[i], "providers") && !strings.HasPrefix(segs[i+1], "{") {
			return segs[i+1]
		}
	}
	return ""
}

// refLocation locates the target of a $ref found in the document source: a
// local reference is a fragment of source; a reference into another file is
// located by the path the loader resolved it to (resolved), so that it names
// that file rather than being glued onto source.
func refLocation(source, ref string, resolved *url.URL) string {
	if strings.HasPrefix(ref, "#") || resolved == nil || resolved.Path == "" {
		return source + ref
	}
	return resolved.Path + "#" + resolved.Fragment
}

func pointerJoin(base string, tokens ...string) string {
	var b strings.Builder
	b.WriteString(base)
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(escapePointer(t))
	}
	return b.String()
}

func newOperation(c *Contract, path, method string, item *openapi3.PathItem, op *openapi3.Operation) (*Operation, error) {
	ref := pointerJoin(c.Source+"#", "paths", path, strings.ToLower(method))
	o := &Operation{ID: op.OperationID, Method: method, Path: path, Contract: c, Ref: ref}
	if o.ID == "" {
		return nil, fmt.Errorf("operation has no operationId")
	}
	segs, err := parseTemplate(path)
	if err != nil {
		return nil, err
	}
	o.segments = segs
	if v, ok := op.Extensions["x-ms-long-running-operation"].(bool); ok {
		o.LongRunning = v
	}
	_, o.Pageable = op.Extensions["x-ms-pageable"]

	type key struct{ in, name string }
	index := map[key]int{}
	add := func(p *openapi3.ParameterRef, at string) error {
		if p == nil || p.Value == nil {
			return fmt.Errorf("unresolved parameter at %s", at)
		}
		v := p.Value
		if v.In == openapi3.ParameterInCookie {
			return nil
		}
		loc := at
		if p.Ref != "" {
			loc = refLocation(c.Source, p.Ref, p.RefPath())
		}
		param := &Parameter{Name: v.Name, In: v.In, Required: v.Required, Schema: v.Schema, Ref: loc + "/schema", Segment: -1}
		if v.Schema == nil {
			return fmt.Errorf("parameter %q has no schema", v.Name)
		}
		if v.In == openapi3.ParameterInPath {
			for i, s := range segs {
				if s.param == v.Name {
					param.Segment = i
				}
			}
			if param.Segment < 0 {
				return fmt.Errorf("path parameter %q is not in the template", v.Name)
			}
		}
		k := key{v.In, strings.ToLower(v.Name)}
		if i, ok := index[k]; ok {
			o.Params[i] = param
			return nil
		}
		index[k] = len(o.Params)
		o.Params = append(o.Params, param)
		return nil
	}
	for i, p := range item.Parameters {
		if err := add(p, pointerJoin(c.Source+"#", "paths", path, "parameters", strconv.Itoa(i))); err != nil {
			return nil, err
		}
	}
	for i, p := range op.Parameters {
		if err := add(p, pointerJoin(ref, "parameters", strconv.Itoa(i))); err != nil {
			return nil, err
		}
	}
	for _, s := range segs {
		if s.param != "" {
			if _, ok := index[key{"path", strings.ToLower(s.param)}]; !ok {
				return nil, fmt.Errorf("path parameter {%s} is not declared", s.param)
			}
		}
	}

	if rb := op.RequestBody; rb != nil && rb.Value != nil {
		b := &Body{Required: rb.Value.Required, Ref: pointerJoin(ref, "requestBody")}
		if rb.Ref != "" {
			b.Ref = refLocation(c.Source, rb.Ref, rb.RefPath())
		}
		if n, ok := rb.Value.Extensions["x-originalParamName"].(string); ok {
			b.Name = n
		} else if n, ok := rb.Value.Extensions["x-ms-requestBody-name"].(string); ok {
			b.Name = n
		}
		for _, ct := range sortedKeys(rb.Value.Content) {
			b.ContentTypes = append(b.ContentTypes, ct)
			if b.Schema == nil {
				b.Schema = rb.Value.Content[ct].Schema
				b.Ref = pointerJoin(b.Ref, "content", ct, "schema")
			}
		}
		o.Body = b
	}

	if op.Responses != nil {
		for _, code := range sortedKeys(op.Responses.Map()) {
			rr := op.Responses.Value(code)
			if rr == nil || rr.Value == nil {
				return nil, fmt.Errorf("unresolved response %s", code)
			}
			r := &Response{Ref: pointerJoin(ref, "responses", code)}
			if code == "default" {
				o.Default = r
			} else {
				n, err := strconv.Atoi(code)
				if err != nil || n < 100 || n > 599 {
					return nil, fmt.Errorf("response code %q is not supported", code)
				}
				r.Status = n
				o.Responses = append(o.Responses, r)
			}
			for _, ct := range sortedKeys(rr.Value.Content) {
				r.ContentTypes = append(r.ContentTypes, ct)
				if mt := rr.Value.Content[ct]; mt.Schema != nil && r.Schema == nil {
					r.Schema = mt.Schema
					r.SchemaRef = pointerJoin(r.Ref, "content", ct, "schema")
				}
			}
			for _, name := range sortedKeys(rr.Value.Headers) {
				h := rr.Value.Headers[name]
				if h.Value == nil {
					continue
				}
				r.Headers = append(r.Headers, &Header{
					Name:     http.CanonicalHeaderKey(name),
					Declared: name,
					Required: h.Value.Required,
					Schema:   h.Value.Schema,
					Ref:      pointerJoin(r.Ref, "headers", name, "schema"),
				})
			}
		}
		sort.Slice(o.Responses, func(i, j int) bool { return o.Responses[i].Status < o.Responses[j].Status })
	}
	return o, nil
}
