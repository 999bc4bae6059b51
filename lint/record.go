package lint

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/contractlint/contractlint/spec"
	"github.com/contractlint/contractlint/validate"
)

// This file holds what the JSON record readers (HAR entries, traffic
// records, recording entries) share: typed access to fields that records a
// problem instead of failing, bodies with their sources, and spots for the
// parts of a request URL.

// recordTreeDepth is how deep the readers build JSON trees: deep enough for
// entry.request.headers[i].value, shallow enough that bodies cost no nodes.
const recordTreeDepth = 6

// readEnv is what the readers of one file share: the contracts (to place
// path parameters of routed calls) and a cache of spot keys, which repeat
// from exchange to exchange.
type readEnv struct {
	reg  *spec.Registry
	keys map[spotName]string
}

type spotName struct {
	d    validate.Direction
	p    validate.Part
	name string
}

// maxCachedSpotKeys bounds the spot key cache of a file.
const maxCachedSpotKeys = 4096

func newReadEnv(opts *ReadOptions) *readEnv {
	reg, _ := opts.registry()
	return &readEnv{reg: reg, keys: map[spotName]string{}}
}

// spotKey is SpotKey, cached.
func (env *readEnv) spotKey(d validate.Direction, p validate.Part, name string) string {
	sn := spotName{d, p, name}
	if k, ok := env.keys[sn]; ok {
		return k
	}
	k := SpotKey(d, p, name)
	if len(env.keys) < maxCachedSpotKeys {
		env.keys[sn] = k
	}
	return k
}

// recordReader turns one parsed record into an exchange, collecting
// problems with the record's structure as it goes.
type recordReader struct {
	d   *jsonDoc
	x   *Exchange
	env *readEnv
}

func newRecordReader(d *jsonDoc, env *readEnv) *recordReader {
	return newRecordReaderAt(d, d.Root, env)
}

// newRecordReaderAt reads the record v of d (an element of a top-level
// array).
func newRecordReaderAt(d *jsonDoc, v *jsonValue, env *readEnv) *recordReader {
	return &recordReader{d: d, env: env, x: &Exchange{Pos: d.pos(v.Start), Spots: make(map[string]Pos, 16)}}
}

// problem records an INVALID_INPUT problem at v (or at the record).
func (rr *recordReader) problem(v *jsonValue, format string, args ...any) {
	pos := rr.x.Pos
	if v != nil {
		pos = rr.d.pos(v.Start)
	}
	rr.x.Problems = append(rr.x.Problems, Problem{Code: validate.CodeInvalidInput, Pos: pos, Message: fmt.Sprintf(format, args...)})
}

// spot records the position of v for findings about part/name.
func (rr *recordReader) spot(d validate.Direction, p validate.Part, name string, v *jsonValue) {
	rr.spotAt(d, p, name, rr.d.pos(v.Start))
}

func (rr *recordReader) spotAt(d validate.Direction, p validate.Part, name string, pos Pos) {
	k := rr.env.spotKey(d, p, name)
	if _, ok := rr.x.Spots[k]; !ok {
		rr.x.Spots[k] = pos
	}
}

// field returns obj[key] when it has one of the wanted kinds. A missing
// field (or null, when null is not wanted) returns nil without a problem;
// a field of another kind returns nil and records a problem naming where.
func (rr *recordReader) field(obj *jsonValue, key, where string, want ...jsonKind) *jsonValue {
	m := obj.member(key)
	if m == nil {
		return nil
	}
	v := m.Value
	for _, k := range want {
		if v.Kind == k {
			return v
		}
	}
	if v.Kind == jsonNull {
		return nil
	}
	names := make([]string, len(want))
	for i, k := range want {
		names[i] = k.String()
	}
	rr.problem(v, "%s.%s is %s, expected %s", where, key, v.Kind, strings.Join(names, " or "))
	return nil
}

// text returns the decoded string value of obj[key], "" when absent or of
// the wrong kind (a problem is recorded).
func (rr *recordReader) text(obj *jsonValue, key, where string) (string, *jsonValue) {
	v := rr.field(obj, key, where, jsonString)
	if v == nil {
		return "", nil
	}
	return rr.d.str(v), v
}

// status reads a status code given as a number or a string of digits.
func (rr *recordReader) status(obj *jsonValue, key, where string) (int, *jsonValue) {
	v := rr.field(obj, key, where, jsonNumber, jsonString)
	if v == nil {
		return 0, nil
	}
	s := strings.TrimSpace(rr.d.str(v))
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 999 {
		rr.problem(v, "%s.%s is %q, expected an HTTP status code", where, key, s)
		return 0, nil
	}
	return n, v
}

// headerMap reads headers given as an object of name -> value, where a value
// is a string, a number or boolean (kept as written), or an array of those
// (repeated headers).
func (rr *recordReader) headerMap(obj *jsonValue, key, where string, dir validate.Direction) http.Header {
	v := rr.field(obj, key, where, jsonObject)
	h := http.Header{}
	if v == nil {
		return h
	}
	if v.Members == nil && v.End-v.Start > 2 {
		rr.problem(v, "%s.%s is nested too deeply to read", where, key)
		return h
	}
	for _, m := range v.Members {
		switch m.Value.Kind {
		case jsonString, jsonNumber, jsonBool:
			h.Add(m.Key, rr.d.str(m.Value))
			rr.spot(dir, validate.PartHeader, m.Key, m.Value)
		case jsonArray:
			for _, it := range m.Value.Items {
				if it.Kind == jsonString || it.Kind == jsonNumber || it.Kind == jsonBool {
					h.Add(m.Key, rr.d.str(it))
				} else {
					rr.problem(it, "header %q in %s.%s has a value that is %s, expected a string", m.Key, where, key, it.Kind)
				}
			}
			rr.spot(dir, validate.PartHeader, m.Key, m.Value)
		case jsonNull:
		default:
			rr.problem(m.Value, "header %q in %s.%s is %s, expected a string", m.Key, where, key, m.Value.Kind)
		}
	}
	return h
}

// rawBody returns v's bytes as the body (a JSON value embedded as-is).
func (rr *recordReader) rawBody(v *jsonValue) ([]byte, BodySource) {
	return append([]byte(nil), rr.d.raw(v)...), BodySource{Kind: BodyRaw, Start: rr.d.pos(v.Start)}
}

// stringBody returns the decoded string v as the body. A literal without
// escapes is a verbatim slice of the file (BodyRaw, starting after the
// quote); otherwise the literal is kept to map offsets through escapes.
func (rr *recordReader) stringBody(v *jsonValue) ([]byte, BodySource) {
	if !v.escaped {
		return append([]byte(nil), rr.d.data[v.Start+1:v.End-1]...), BodySource{Kind: BodyRaw, Start: rr.d.pos(v.Start + 1)}
	}
	return rr.d.strBytes(v), BodySource{Kind: BodyString, Start: rr.d.pos(v.Start), Literal: append([]byte(nil), rr.d.raw(v)...)}
}

// stringLocator maps an offset in the decoded string v to a file position.
func (rr *recordReader) stringLocator(v *jsonValue) func(off int) Pos {
	if !v.escaped {
		start := v.Start + 1
		return func(off int) Pos { return rr.d.pos(start + off) }
	}
	src := BodySource{Kind: BodyString, Start: rr.d.pos(v.Start), Literal: rr.d.raw(v)}
	return func(off int) Pos { return src.Locate(nil, off) }
}

// setContentType adds a Content-Type header from a declared media type
// (HAR mimeType) when the headers have none.
func setContentType(h http.Header, mime string) {
	if mime != "" && h.Get("Content-Type") == "" {
		h.Set("Content-Type", mime)
	}
}

// urlSpots records where the parts of a request URL sit: the URL as a whole
// (route findings), each query parameter's value, and, when the call routes
// to an operation of the contracts, each path parameter's segment. at maps a byte
// offset in rawURL to a file position.
func urlSpots(x *Exchange, env *readEnv, method, rawURL string, at func(off int) Pos) {
	if x.Spots == nil {
		x.Spots = make(map[string]Pos, 16)
	}
	add := func(p validate.Part, name string, off int) {
		k := env.spotKey(validate.InRequest, p, name)
		if _, ok := x.Spots[k]; !ok {
			x.Spots[k] = at(off)
		}
	}
	add(validate.PartRoute, "", 0)
	end := len(rawURL)
	if i := strings.IndexByte(rawURL, '#'); i >= 0 {
		end = i
	}
	pathStart := 0
	if i := strings.Index(rawURL[:end], "://"); i >= 0 && i < strings.IndexByte(rawURL[:end]+"/", '/') {
		j := strings.IndexAny(rawURL[i+3:end], "/?")
		if j < 0 {
			pathStart = end
		} else {
			pathStart = i + 3 + j
		}
	}
	pathEnd := end
	if q := strings.IndexByte(rawURL[pathStart:end], '?'); q >= 0 {
		pathEnd = pathStart + q
		off := pathEnd + 1
		for off <= end {
			amp := strings.IndexByte(rawURL[off:end], '&')
			pairEnd := end
			if amp >= 0 {
				pairEnd = off + amp
			}
			pair := rawURL[off:pairEnd]
			k, _, hasValue := strings.Cut(pair, "=")
			name := k
			if d, err := queryUnescape(k); err == nil {
				name = d
			}
			if name != "" {
				valOff := off
				if hasValue {
					valOff = off + len(k) + 1
				}
				add(validate.PartQuery, name, valOff)
			}
			if amp < 0 {
				break
			}
			off = pairEnd + 1
		}
	}
	if env.reg == nil || method == "" {
		return
	}
	m, err := env.reg.Route(method, rawURL)
	if err != nil {
		return
	}
	// Offsets of the path segments, as Route splits them.
	var segs []int
	p := rawURL[pathStart:pathEnd]
	for i := 0; i < len(p); i++ {
		if p[i] == '/' && i+1 < len(p) {
			segs = append(segs, pathStart+i+1)
		}
	}
	for _, prm := range m.Operation.Params {
		if prm.In == "path" && prm.Segment >= 0 && prm.Segment < len(segs) {
			add(validate.PartPath, prm.Name, segs[prm.Segment])
		}
	}
}

func queryUnescape(s string) (string, error) {
	if !strings.ContainsAny(s, "%+") {
		return s, nil
	}
	return url.QueryUnescape(s)
}
