package lint

import (
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/contractlint/contractlint/spec"
	"github.com/contractlint/contractlint/validate"
)

// exampleTreeDepth builds nodes a few levels into response bodies
// (root.responses.<code>.body is at depth 3), which the shape checks read.
const exampleTreeDepth = 8

// readExample reads an x-ms-examples file:
// {"operationId"?, "parameters": {...}, "responses": {"<code>": {"headers",
// "body"}, ...}}. It finds the operation (see exampleFile.resolve), builds the
// request from the parameters (path parameters substituted into the
// template, query parameters after api-version, header parameters, the body
// parameter's value verbatim) and emits one exchange with the request and the
// first response, then one ResponseOnly exchange per further response, so
// that the request is validated once.
func readExample(data []byte, base Pos, opts *ReadOptions, e *emitter) error {
	a := getArena()
	defer putArena(a)
	d, err := parseJSONIn(a, data, base, exampleTreeDepth)
	if err != nil {
		return docSyntaxError(data, base, err)
	}
	root := d.Root
	if root.Kind != jsonObject {
		return &InputError{Code: validate.CodeInvalidInput, Pos: d.pos(root.Start),
			Message: "not an x-ms-examples file: the top-level value is " + root.Kind.String() + ", expected an object with parameters and responses"}
	}
	pm := root.member("parameters")
	if pm == nil {
		return &InputError{Code: validate.CodeInvalidInput, Pos: d.pos(root.Start), Message: "not an x-ms-examples file: no \"parameters\" object"}
	}
	if pm.Value.Kind != jsonObject {
		return &InputError{Code: validate.CodeInvalidInput, Pos: d.pos(pm.Value.Start), Message: "\"parameters\" is " + pm.Value.Kind.String() + ", expected an object"}
	}
	ex := &exampleFile{d: d, params: pm.Value, paramsPos: d.pos(pm.KeyStart), name: opts.Name}
	ex.readResponses(root)
	if v := root.get("operationId"); v != nil && v.Kind == jsonString {
		ex.operationID = d.str(v)
	}
	reg, err := opts.registry()
	if err != nil {
		return &InputError{Code: validate.CodeInputError, Pos: base, Message: err.Error()}
	}
	op, code, msg := ex.resolve(reg, opts.Payload)
	if op == nil {
		x := &Exchange{Pos: d.pos(root.Start)}
		x.Problems = append(ex.problems, Problem{Code: code, Pos: ex.paramsPos, Message: msg})
		e.send(x)
		return nil
	}
	ex.emit(op, d.pos(root.Start), e)
	return nil
}

// exampleFile is an x-ms-examples file being read.
type exampleFile struct {
	d           *jsonDoc
	params      *jsonValue
	paramsPos   Pos
	name        string
	operationID string
	responses   []exampleResponse
	problems    []Problem
}

// exampleResponse is one entry of "responses".
type exampleResponse struct {
	status  int
	keyPos  Pos
	headers *jsonValue
	body    *jsonValue // nil when absent or null
}

func (ex *exampleFile) problem(pos Pos, format string, args ...any) {
	ex.problems = append(ex.problems, Problem{Code: validate.CodeInvalidInput, Pos: pos, Message: fmt.Sprintf(format, args...)})
}

func (ex *exampleFile) readResponses(root *jsonValue) {
	m := root.member("responses")
	if m == nil {
		return
	}
	if m.Value.Kind != jsonObject {
		ex.problem(ex.d.pos(m.Value.Start), "\"responses\" is %s, expected an object", m.Value.Kind)
		return
	}
	for _, r := range m.Value.Members {
		pos := ex.d.pos(r.KeyStart)
		status, err := strconv.Atoi(strings.TrimSpace(r.Key))
		if err != nil || status < 100 || status > 599 {
			ex.problem(pos, "response %q is not an HTTP status code; it is not checked", r.Key)
			continue
		}
		if r.Value.Kind != jsonObject {
			ex.problem(ex.d.pos(r.Value.Start), "response %q is %s, expected an object with headers and body", r.Key, r.Value.Kind)
			continue
		}
		er := exampleResponse{status: status, keyPos: pos}
		if h := r.Value.get("headers"); h != nil {
			if h.Kind == jsonObject {
				er.headers = h
			} else if h.Kind != jsonNull {
				ex.problem(ex.d.pos(h.Start), "the headers of response %q are %s, expected an object", r.Key, h.Kind)
			}
		}
		if b := r.Value.get("body"); b != nil && b.Kind != jsonNull {
			er.body = b
		}
		ex.responses = append(ex.responses, er)
	}
}

// param returns the example parameter named name (case-insensitively).
func (ex *exampleFile) param(name string) *jsonMember {
	for i := range ex.params.Members {
		if strings.EqualFold(ex.params.Members[i].Key, name) {
			return &ex.params.Members[i]
		}
	}
	return nil
}

// paramString is a parameter value as it goes into a URL or header:
// strings decoded, numbers and booleans as written, arrays joined with
// commas, anything else as its JSON text.
func (ex *exampleFile) paramString(v *jsonValue) string {
	switch v.Kind {
	case jsonString, jsonNumber, jsonBool:
		return ex.d.str(v)
	case jsonArray:
		if v.Items != nil || v.End-v.Start <= 2 {
			parts := make([]string, len(v.Items))
			for i, it := range v.Items {
				parts[i] = ex.paramString(it)
			}
			return strings.Join(parts, ",")
		}
	}
	return string(ex.d.raw(v))
}

// resolve finds the example's operation. An explicit operationId (the
// file's, else the options') is looked up at the example's api-version
// (else the options'). Otherwise every operation of the contracts at that
// api-version is scored (see score) and the best one wins; a tie is broken
// by the file name, and a remaining tie is AMBIGUOUS_OPERATION.
func (ex *exampleFile) resolve(reg *spec.Registry, po PayloadOptions) (*spec.Operation, string, string) {
	version := ""
	if m := ex.param("api-version"); m != nil && m.Value.Kind == jsonString {
		version = ex.d.str(m.Value)
	}
	if version == "" {
		version = po.APIVersion
	}
	id := ex.operationID
	if id == "" {
		id = po.OperationID
	}
	if id != "" {
		op, err := reg.Operation(id, version)
		if err != nil {
			return nil, validate.CodeUnresolvedOperation, err.Error()
		}
		return op, "", ""
	}
	if version == "" {
		return nil, validate.CodeUnresolvedOperation, "the example has no \"api-version\" parameter, so no contract can be chosen: " +
			"add it to \"parameters\", or name the operation with \"operationId\" in the file or --operation"
	}
	var contracts []*spec.Contract
	versions := map[string]bool{}
	for _, c := range reg.Contracts() {
		versions[c.APIVersion] = true
		if strings.EqualFold(c.APIVersion, version) {
			contracts = append(contracts, c)
		}
	}
	if len(contracts) == 0 {
		return nil, validate.CodeUnresolvedOperation, fmt.Sprintf("api-version %q is not embedded; embedded: %s", version, strings.Join(sortedSet(versions), ", "))
	}
	var fits, misfits []*exampleCandidate
	for _, c := range contracts {
		for _, op := range c.Operations {
			cand := ex.score(op)
			switch {
			case cand == nil:
			case cand.misfit:
				misfits = append(misfits, cand)
			default:
				fits = append(fits, cand)
			}
		}
	}
	if len(fits) == 0 {
		if len(misfits) == 0 {
			return nil, validate.CodeUnresolvedOperation, fmt.Sprintf("no operation at api-version %q has these parameters (%s): "+
				"an operation needs all its path parameters and its required body parameter", version, strings.Join(ex.paramNames(), ", "))
		}
		return nil, validate.CodeUnresolvedOperation, fmt.Sprintf("no operation at api-version %q fits the example: %s take these parameters "+
			"but declare response bodies of another shape; if the example is meant for one of them, name it with \"operationId\"", version, quoteIDs(misfits))
	}
	best := topCandidates(fits, func(c *exampleCandidate) int { return c.score })
	if len(best) > 1 && ex.name != "" {
		words := nameWords(ex.name)
		best = topCandidates(best, func(c *exampleCandidate) int { return nameHint(words, c.op) })
	}
	if len(best) > 1 {
		return nil, validate.CodeAmbiguousOperation, fmt.Sprintf("the example fits several operations equally well: %s; name one with \"operationId\" in the file or --operation", quoteIDs(best))
	}
	return best[0].op, "", ""
}

func (ex *exampleFile) paramNames() []string {
	out := make([]string, 0, len(ex.params.Members))
	for _, m := range ex.params.Members {
		out = append(out, strconv.Quote(m.Key))
	}
	return out
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func quoteIDs(cs []*exampleCandidate) string {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = strconv.Quote(c.op.ID)
	}
	sort.Strings(ids)
	return strings.Join(ids, ", ")
}

func topCandidates(cs []*exampleCandidate, key func(*exampleCandidate) int) []*exampleCandidate {
	var best []*exampleCandidate
	max := 0
	for _, c := range cs {
		k := key(c)
		switch {
		case len(best) == 0 || k > max:
			best, max = []*exampleCandidate{c}, k
		case k == max:
			best = append(best, c)
		}
	}
	return best
}

// exampleCandidate is an operation the example may belong to.
type exampleCandidate struct {
	op    *spec.Operation
	score int
	// misfit is set when a response body has a shape the operation's
	// schema rules out (no top-level property in common, object vs array)
	// and no body parameter vouches for the operation.
	misfit bool
}

// score weighs how well the example fits op, or returns nil when it cannot
// belong to op: a path parameter of the template is missing, or op requires
// a body and the example has no parameter of its name. Signals: the body
// parameter present (strong), example parameters op declares (+) or not
// (-), required parameters missing (-), each response code declared (+),
// covered by default (small +) or not (-), body presence agreeing with the
// declared schema, and the top-level shape of response bodies.
func (ex *exampleFile) score(op *spec.Operation) *exampleCandidate {
	c := &exampleCandidate{op: op}
	used := map[string]bool{"api-version": true}
	for _, p := range op.Params {
		key := strings.ToLower(p.Name)
		m := ex.param(p.Name)
		if m == nil {
			if p.In == "path" {
				return nil
			}
			if p.Required && key != "api-version" {
				c.score -= 4
			}
			continue
		}
		if !used[key] {
			c.score += 2
		}
		used[key] = true
	}
	bodyFound := false
	if op.Body != nil {
		if op.Body.Name != "" {
			if ex.param(op.Body.Name) != nil {
				bodyFound = true
				c.score += 10
				used[strings.ToLower(op.Body.Name)] = true
			} else if op.Body.Required {
				return nil
			}
		}
	}
	for _, m := range ex.params.Members {
		if !used[strings.ToLower(m.Key)] {
			c.score -= 3
		}
	}
	for _, r := range ex.responses {
		decl := op.ResponseFor(r.status)
		switch {
		case decl == nil:
			c.score -= 5
			continue
		case decl == op.Default:
			c.score++
			continue
		}
		c.score += 2
		hasBody := r.body != nil
		hasSchema := decl.Schema != nil
		switch {
		case hasBody == hasSchema:
			c.score++
		case hasBody:
			c.score -= 2
		default:
			c.score--
		}
		if hasBody && hasSchema {
			if shapeFit(r.body, decl.Schema) < 0 && !bodyFound {
				c.misfit = true
			}
			if sim, known := shapeSimilarity(r.body, decl.Schema, 0); known {
				c.score += int(6 * sim)
			}
		}
	}
	return c
}

// shapeFit compares the top level of a body with a schema: 1 when they fit
// (an object sharing a declared property, an array for an array schema), -1
// when they cannot (an object for an array schema or the reverse, an object
// with none of the declared properties of a closed schema), 0 when it cannot
// tell.
func shapeFit(body *jsonValue, s *openapi3.SchemaRef) int {
	sh := shapeOf(s, 0)
	switch body.Kind {
	case jsonArray:
		if sh.array {
			return 1
		}
		if len(sh.props) > 0 {
			return -1
		}
	case jsonObject:
		if sh.array {
			return -1
		}
		if len(sh.props) == 0 || len(body.Members) == 0 {
			return 0
		}
		for _, m := range body.Members {
			if _, ok := sh.props[m.Key]; ok {
				return 1
			}
		}
		if !sh.open {
			return -1
		}
	}
	return 0
}

// shapeSimilarity measures, from 0 to 1, how much of a body's structure
// the schema declares: the share of an object's keys that are declared
// properties, averaged with the similarity of the containers under them, a
// few levels deep; an array is compared through its first item. known is
// false when the schema or the body says too little to tell.
func shapeSimilarity(body *jsonValue, s *openapi3.SchemaRef, depth int) (float64, bool) {
	sh := shapeOf(s, 0)
	switch body.Kind {
	case jsonArray:
		if !sh.array {
			return 0, len(sh.props) > 0
		}
		if len(body.Items) == 0 || s.Value == nil {
			return 0, false
		}
		items := sh.items
		if items == nil || depth >= 3 {
			return 1, true
		}
		if sim, known := shapeSimilarity(body.Items[0], items, depth+1); known {
			return sim, true
		}
		return 1, true
	case jsonObject:
		if sh.array {
			return 0, true
		}
		if len(sh.props) == 0 || len(body.Members) == 0 {
			return 0, false
		}
		matched := 0
		var sub float64
		subs := 0
		for _, m := range body.Members {
			ps, ok := sh.props[m.Key]
			if !ok {
				continue
			}
			matched++
			if depth < 3 && (m.Value.Kind == jsonObject || m.Value.Kind == jsonArray) {
				if sim, known := shapeSimilarity(m.Value, ps, depth+1); known {
					sub += sim
					subs++
				}
			}
		}
		f := float64(matched) / float64(len(body.Members))
		if subs > 0 {
			f = (f + sub/float64(subs)) / 2
		}
		return f, true
	}
	return 0, false
}

type schemaShape struct {
	array bool
	open  bool
	items *openapi3.SchemaRef
	// props maps each declared property to its schema.
	props map[string]*openapi3.SchemaRef
}

// shapeOf collects the declared top-level properties of a schema, through
// allOf.
func shapeOf(s *openapi3.SchemaRef, depth int) schemaShape {
	sh := schemaShape{props: map[string]*openapi3.SchemaRef{}}
	if s == nil || s.Value == nil || depth > 16 {
		sh.open = true
		return sh
	}
	v := s.Value
	if v.Type.Is("array") {
		sh.array = true
		sh.items = v.Items
		return sh
	}
	for name, ps := range v.Properties {
		sh.props[name] = ps
	}
	if v.AdditionalProperties.Schema != nil || (v.AdditionalProperties.Has != nil && *v.AdditionalProperties.Has) {
		sh.open = true
	}
	for _, a := range v.AllOf {
		sub := shapeOf(a, depth+1)
		if sub.array {
			sh.array, sh.items = true, sub.items
		}
		sh.open = sh.open || sub.open
		for k, ps := range sub.props {
			sh.props[k] = ps
		}
	}
	return sh
}

// nameWords splits a file name into lower-case words: "DPSGetValidSku.json"
// -> dps, get, valid, sku.
func nameWords(name string) []string {
	base := filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	base = strings.TrimSuffix(base, filepath.Ext(base))
	return splitWords(base)
}

// splitWords splits an identifier on separators and case changes, keeping
// acronyms together, lower-cases the words and drops a plural "s".
func splitWords(s string) []string {
	var words []string
	rs := []rune(s)
	start := -1
	flush := func(end int) {
		if start >= 0 && end > start {
			words = append(words, stem(strings.ToLower(string(rs[start:end]))))
		}
		start = -1
	}
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
			continue
		}
		prev := rs[i-1]
		switch {
		case unicode.IsUpper(r) && unicode.IsLower(prev):
			flush(i)
			start = i
		case unicode.IsUpper(r) && unicode.IsUpper(prev) && i+1 < len(rs) && unicode.IsLower(rs[i+1]):
			flush(i)
			start = i
		case unicode.IsDigit(r) != unicode.IsDigit(prev):
			flush(i)
			start = i
		}
	}
	flush(len(rs))
	return words
}

func stem(w string) string {
	if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
		return w[:len(w)-1]
	}
	return w
}

// nameHint scores how well a file name's words suggest op: one point per
// word of the name found in the operationId, two when a verb in the name
// ("Get", "Delete", "Create", "Update", "Patch", "List", ...) agrees with
// the operation's method or kind.
func nameHint(words []string, op *spec.Operation) int {
	opWords := map[string]bool{}
	for _, w := range splitWords(op.ID) {
		opWords[w] = true
	}
	isList := op.Pageable || opWords["list"]
	n := 0
	seen := map[string]bool{}
	verb := false
	for _, w := range words {
		if seen[w] {
			continue
		}
		seen[w] = true
		if opWords[w] {
			n++
		}
		var ok bool
		switch w {
		case "get":
			ok = op.Method == http.MethodGet
		case "head":
			ok = op.Method == http.MethodHead
		case "delete", "remove":
			ok = op.Method == http.MethodDelete
		case "create", "put":
			ok = op.Method == http.MethodPut
		case "update":
			ok = op.Method == http.MethodPut || op.Method == http.MethodPatch
		case "patch":
			ok = op.Method == http.MethodPatch
		case "post", "action":
			ok = op.Method == http.MethodPost
		case "list":
			ok = isList
		}
		verb = verb || ok
	}
	if verb {
		n += 2
	}
	return n
}

// emit builds the request and the exchanges of a resolved example.
func (ex *exampleFile) emit(op *spec.Operation, start Pos, e *emitter) {
	d := ex.d
	reqSpots := map[string]Pos{}
	spot := func(dir validate.Direction, part validate.Part, name string, v *jsonValue) {
		reqSpots[SpotKey(dir, part, name)] = d.pos(v.Start)
	}
	var path strings.Builder
	for _, seg := range strings.Split(strings.Trim(op.Path, "/"), "/") {
		path.WriteByte('/')
		if len(seg) > 2 && seg[0] == '{' && seg[len(seg)-1] == '}' {
			name := seg[1 : len(seg)-1]
			if m := ex.param(name); m != nil {
				path.WriteString(url.PathEscape(ex.paramString(m.Value)))
				spot(validate.InRequest, validate.PartPath, name, m.Value)
				continue
			}
		}
		path.WriteString(seg)
	}
	query := url.Values{}
	var order []string
	addQuery := func(name string, m *jsonMember) {
		query[name] = []string{ex.paramString(m.Value)}
		order = append(order, name)
		spot(validate.InRequest, validate.PartQuery, name, m.Value)
	}
	if m := ex.param("api-version"); m != nil {
		addQuery("api-version", m)
	}
	h := http.Header{}
	for _, p := range op.Params {
		m := ex.param(p.Name)
		if m == nil || strings.EqualFold(p.Name, "api-version") {
			continue
		}
		switch p.In {
		case "query":
			addQuery(p.Name, m)
		case "header":
			h.Add(p.Name, ex.paramString(m.Value))
			spot(validate.InRequest, validate.PartHeader, p.Name, m.Value)
		}
	}
	u := path.String()
	for i, name := range order {
		sep := "&"
		if i == 0 {
			sep = "?"
		}
		u += sep + url.QueryEscape(name) + "=" + url.QueryEscape(query[name][0])
	}
	req := &validate.Request{Method: op.Method, URL: u, Header: h}
	var reqBody BodySource
	if op.Body != nil {
		if bm := ex.bodyParam(op); bm != nil {
			req.Body = d.raw(bm.Value)
			reqBody = BodySource{Kind: BodyRaw, Start: d.pos(bm.Value.Start)}
		}
	}
	newExchange := func(pos Pos) *Exchange {
		x := &Exchange{Pos: pos, RequestBody: reqBody, OperationID: op.ID, APIVersion: op.Contract.APIVersion, Spots: map[string]Pos{}}
		x.Request = req
		x.Operation = op
		for k, v := range reqSpots {
			x.Spots[k] = v
		}
		return x
	}
	if len(ex.responses) == 0 {
		x := newExchange(start)
		x.Problems = ex.problems
		e.send(x)
		return
	}
	for i, r := range ex.responses {
		pos := start
		if i > 0 {
			pos = r.keyPos
		}
		x := newExchange(pos)
		if i == 0 {
			x.Problems = ex.problems
		} else {
			x.ResponseOnly = true
		}
		resp := &validate.Response{StatusCode: r.status, Header: http.Header{}}
		x.Spots[SpotKey(validate.InResponse, validate.PartStatus, "")] = r.keyPos
		if r.headers != nil {
			for _, m := range r.headers.Members {
				resp.Header.Add(m.Key, ex.paramString(m.Value))
				x.Spots[SpotKey(validate.InResponse, validate.PartHeader, m.Key)] = d.pos(m.Value.Start)
			}
		}
		if r.body != nil {
			resp.Body = d.raw(r.body)
			x.ResponseBody = BodySource{Kind: BodyRaw, Start: d.pos(r.body.Start)}
		}
		x.Response = resp
		e.send(x)
	}
}

// bodyParam finds the body among the example parameters: the parameter
// named like the operation's body parameter, or, when the contract does not
// name it, the only object-valued parameter the operation does not declare.
func (ex *exampleFile) bodyParam(op *spec.Operation) *jsonMember {
	if op.Body.Name != "" {
		return ex.param(op.Body.Name)
	}
	var found *jsonMember
	for i := range ex.params.Members {
		m := &ex.params.Members[i]
		if m.Value.Kind != jsonObject && m.Value.Kind != jsonArray {
			continue
		}
		declared := false
		for _, p := range op.Params {
			if strings.EqualFold(p.Name, m.Key) {
				declared = true
			}
		}
		if declared {
			continue
		}
		if found != nil {
			return nil
		}
		found = m
	}
	return found
}
