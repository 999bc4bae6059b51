package lint

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/contractlint/contractlint/validate"
)

// httpMethods are the request-line methods of .http files.
var httpMethods = map[string]bool{
	"GET": true, "HEAD": true, "POST": true, "PUT": true, "PATCH": true,
	"DELETE": true, "OPTIONS": true, "TRACE": true, "CONNECT": true,
}

// readHTTP reads a .http/.rest file of the VS Code REST Client or the
// JetBrains HTTP Client. Requests are separated by lines starting with
// "###". Before a request line there may be blank lines, comments ("#" or
// "//", including "# @name x") and file variables ("@name = value", usable
// anywhere as {{name}}). The request line is "METHOD URL [HTTP/x]" (or just
// a URL, meaning GET); lines starting with "?" or "&" continue the URL.
// Headers follow until a blank line, then the body until the next
// separator. Response handlers ("> {% ... %}", "> script.js") and response
// references ("<> file") are ignored. The files hold requests only.
//
// Variables are substituted in the URL, headers and body; unknown ones
// ({{$guid}}, environment variables) are left as written, except that an
// unresolved variable standing for the host ("{{baseUrl}}/subscriptions/...")
// is dropped so that the path can be routed. A body is a verbatim slice of
// the file (BodyRaw) unless a substitution changed it (BodyOpaque).
func readHTTP(data []byte, base Pos, opts *ReadOptions, e *emitter) error {
	env := newReadEnv(opts)
	hf := &httpFile{data: data, base: base, lines: lineStarts(data)}
	hf.split()
	if len(hf.requests) == 0 {
		return &InputError{Code: validate.CodeInvalidInput, Pos: base, Message: "no request found: expected a request line such as \"GET https://management.azure.com/...\""}
	}
	hf.resolveVars()
	for _, r := range hf.requests {
		e.send(hf.exchange(r, env))
	}
	return nil
}

// httpFile is a .http file being read.
type httpFile struct {
	data     []byte
	base     Pos
	lines    []int
	vars     map[string]string
	requests []*httpRequest
}

// httpLine is one line: its text without the line break and the offset of
// its first byte.
type httpLine struct {
	text  []byte
	start int
}

// httpRequest is a request as written, before variable substitution.
type httpRequest struct {
	line      httpLine // the request line
	method    string
	url       string
	urlStart  int  // offset of the URL in the file
	urlExact  bool // url is a verbatim slice of the request line
	headers   []httpHeader
	bodyStart int
	bodyEnd   int // bodyEnd > bodyStart when there is a body
	problems  []httpProblem
}

type httpHeader struct {
	name, value string
	valueStart  int
}

type httpProblem struct {
	off int
	msg string
}

func (hf *httpFile) pos(off int) Pos { return posFromLines(hf.data, hf.lines, hf.base, off) }

// splitLines returns the lines of data with their offsets; "\r" before a
// "\n" is not part of the text.
func splitLines(data []byte) []httpLine {
	var out []httpLine
	for off := 0; off < len(data); {
		end := bytes.IndexByte(data[off:], '\n')
		next := len(data)
		if end < 0 {
			end = len(data)
		} else {
			end += off
			next = end + 1
		}
		text := data[off:end]
		text = bytes.TrimSuffix(text, []byte{'\r'})
		out = append(out, httpLine{text: text, start: off})
		off = next
	}
	return out
}

func isHTTPComment(t []byte) bool {
	return bytes.HasPrefix(t, []byte("#")) || bytes.HasPrefix(t, []byte("//"))
}

func isHTTPSeparator(t []byte) bool { return bytes.HasPrefix(bytes.TrimLeft(t, " \t"), []byte("###")) }

// split finds the requests and the file variables.
func (hf *httpFile) split() {
	hf.vars = map[string]string{}
	lines := splitLines(hf.data)
	for i := 0; i < len(lines); {
		// One block: up to the next separator.
		j := i
		for j < len(lines) && (j == i || !isHTTPSeparator(lines[j].text)) {
			j++
		}
		block := lines[i:j]
		if len(block) > 0 && isHTTPSeparator(block[0].text) {
			block = block[1:]
		}
		hf.block(block)
		i = j
	}
}

// block reads the lines between two separators.
func (hf *httpFile) block(lines []httpLine) {
	k := 0
	for ; k < len(lines); k++ {
		t := bytes.TrimSpace(lines[k].text)
		switch {
		case len(t) == 0 || isHTTPComment(t):
			continue
		case t[0] == '@':
			if name, value, ok := strings.Cut(string(t[1:]), "="); ok && strings.TrimSpace(name) != "" {
				hf.vars[strings.TrimSpace(name)] = strings.TrimSpace(value)
				continue
			}
		}
		break
	}
	if k >= len(lines) {
		return
	}
	r := &httpRequest{line: lines[k]}
	hf.requestLine(r)
	k++
	// URL continuation lines.
	for k < len(lines) {
		t := bytes.TrimSpace(lines[k].text)
		if len(t) == 0 || (t[0] != '?' && t[0] != '&') {
			break
		}
		r.url += string(t)
		r.urlExact = false
		k++
	}
	// Headers, up to a blank line.
	for ; k < len(lines); k++ {
		l := lines[k]
		t := bytes.TrimSpace(l.text)
		if len(t) == 0 {
			k++
			break
		}
		if isHTTPComment(t) {
			continue
		}
		if t[0] == '{' || t[0] == '[' || t[0] == '<' || t[0] == '>' {
			break // a body (or handler) without the blank line before it
		}
		name, value, ok := bytes.Cut(l.text, []byte(":"))
		n := strings.TrimSpace(string(name))
		if !ok || n == "" || strings.ContainsAny(n, " \t") {
			r.problems = append(r.problems, httpProblem{off: l.start, msg: "malformed header line (expected \"Name: value\"); it is ignored"})
			continue
		}
		vs := l.start + len(name) + 1
		for vs < l.start+len(l.text) && (hf.data[vs] == ' ' || hf.data[vs] == '\t') {
			vs++
		}
		r.headers = append(r.headers, httpHeader{name: n, value: strings.TrimSpace(string(value)), valueStart: vs})
	}
	// Body, up to a response handler ("> {% ... %}", "> file.js"), after
	// which nothing in the block is body, or the end of the block.
	first, last := -1, -1
body:
	for ; k < len(lines); k++ {
		l := lines[k]
		t := bytes.TrimSpace(l.text)
		switch {
		case bytes.HasPrefix(t, []byte("<>")):
			continue // a reference to a saved response
		case bytes.HasPrefix(t, []byte(">")):
			break body
		case first < 0 && len(t) == 0:
			continue
		case first < 0 && t[0] == '<':
			r.problems = append(r.problems, httpProblem{off: l.start, msg: "the body is read from a file (\"< path\"), which is not supported; the request is checked without its body"})
			break body
		}
		if first < 0 {
			first = k
		}
		if len(t) > 0 {
			last = k
		}
	}
	if first >= 0 && last >= first {
		r.bodyStart = lines[first].start
		r.bodyEnd = lines[last].start + len(lines[last].text)
	}
	hf.requests = append(hf.requests, r)
}

// requestLine parses "METHOD URL [HTTP/x]".
func (hf *httpFile) requestLine(r *httpRequest) {
	text := r.line.text
	lead := len(text) - len(bytes.TrimLeft(text, " \t"))
	t := string(bytes.TrimSpace(text))
	r.method = "GET"
	urlOff := lead
	if m, rest, ok := strings.Cut(t, " "); ok && httpMethods[strings.ToUpper(m)] {
		r.method = strings.ToUpper(m)
		trimmed := strings.TrimLeft(rest, " \t")
		urlOff = lead + len(m) + 1 + (len(rest) - len(trimmed))
		t = trimmed
	} else if httpMethods[strings.ToUpper(t)] {
		r.method, t = strings.ToUpper(t), ""
	} else if !looksLikeURL(t) {
		r.problems = append(r.problems, httpProblem{off: r.line.start, msg: "expected a request line \"METHOD URL\", found " + strconv.Quote(clip(t, 40))})
		r.url = ""
		return
	}
	if i := strings.LastIndex(t, " HTTP/"); i >= 0 {
		t = strings.TrimRight(t[:i], " \t")
	}
	if t == "" {
		r.problems = append(r.problems, httpProblem{off: r.line.start, msg: "the request line has no URL"})
	}
	r.url = t
	r.urlStart = r.line.start + urlOff
	r.urlExact = true
}

// looksLikeURL reports whether a request line without a method starts like
// a URL: a scheme, a path or a variable.
func looksLikeURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "{{")
}

// clip shortens s to at most n bytes (on a character boundary) for a
// message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

// maxVarLen bounds the value of a variable after substitution, so that
// self-referencing variables cannot grow without limit.
const maxVarLen = 64 << 10

// maxSubstLen bounds what substitution may make of one URL, header or body.
const maxSubstLen = 16 << 20

// resolveVars substitutes variables inside variable values.
func (hf *httpFile) resolveVars() {
	for round := 0; round < 8; round++ {
		changed := false
		for k, v := range hf.vars {
			if nv := hf.subst(v); nv != v && len(nv) <= maxVarLen {
				hf.vars[k] = nv
				changed = true
			}
		}
		if !changed {
			return
		}
	}
}

// subst replaces each {{name}} of a known file variable.
func (hf *httpFile) subst(s string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			break
		}
		j := strings.Index(s[i+2:], "}}")
		if j < 0 {
			break
		}
		name := strings.TrimSpace(s[i+2 : i+2+j])
		v, ok := hf.vars[name]
		b.WriteString(s[:i])
		if ok && b.Len()+len(v) <= maxSubstLen {
			b.WriteString(v)
		} else {
			b.WriteString(s[i : i+2+j+2])
		}
		s = s[i+2+j+2:]
	}
	b.WriteString(s)
	return b.String()
}

// exchange builds the exchange of one request.
func (hf *httpFile) exchange(r *httpRequest, env *readEnv) *Exchange {
	x := &Exchange{Pos: hf.pos(r.line.start)}
	for _, p := range r.problems {
		x.Problems = append(x.Problems, Problem{Code: validate.CodeInvalidInput, Pos: hf.pos(p.off), Message: p.msg})
	}
	u := hf.subst(r.url)
	exact := r.urlExact && u == r.url
	if strings.HasPrefix(u, "{{") {
		if j := strings.Index(u, "}}"); j >= 0 && strings.HasPrefix(u[j+2:], "/") {
			u = u[j+2:]
			exact = false
		}
	}
	if u == "" {
		if r.url != "" { // else requestLine recorded why
			x.Problems = append(x.Problems, Problem{Code: validate.CodeInvalidInput, Pos: hf.pos(r.urlStart), Message: "the request URL is empty once variables are substituted"})
		}
		return x
	}
	h := http.Header{}
	x.Spots = map[string]Pos{}
	for _, hd := range r.headers {
		h.Add(hd.name, hf.subst(hd.value))
		if k := env.spotKey(validate.InRequest, validate.PartHeader, hd.name); x.Spots[k] == (Pos{}) {
			x.Spots[k] = hf.pos(hd.valueStart)
		}
	}
	req := &validate.Request{Method: r.method, URL: u, Header: h}
	if r.bodyEnd > r.bodyStart {
		raw := hf.data[r.bodyStart:r.bodyEnd]
		body := hf.subst(string(raw))
		if body == string(raw) {
			req.Body = append([]byte(nil), raw...)
			x.RequestBody = BodySource{Kind: BodyRaw, Start: hf.pos(r.bodyStart)}
		} else {
			req.Body = []byte(body)
			x.RequestBody = BodySource{Kind: BodyOpaque, Start: hf.pos(r.bodyStart)}
		}
	}
	x.Request = req
	at := func(int) Pos { return hf.pos(r.urlStart) }
	if exact {
		at = func(off int) Pos { return hf.pos(r.urlStart + off) }
	}
	urlSpots(x, env, r.method, u, at)
	return x
}
