package spec

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// bundler turns a Swagger 2.0 document with relative external $refs into one
// self-contained document: every externally referenced definition, parameter
// or response is copied into the main document (reachable ones only) and its
// $ref rewritten to the local copy. It also rewrites the constructs that
// kin-openapi's openapi2conv would otherwise lose:
//   - schema keywords next to a $ref (readOnly, x-ms-mutability, x-nullable,
//     ...) are kept by wrapping the $ref in allOf;
//   - x-nullable is carried through a private key so that an explicit false
//     survives the conversion.
type bundler struct {
	root    string
	files   map[string]map[string]any
	doc     map[string]any
	names   map[string]string // "file#pointer" -> local name
	taken   map[string]map[string]bool
	pending []pendingCopy
}

type pendingCopy struct {
	file, section, name string
	value               any
}

// nullableKey carries x-nullable through openapi2conv, which folds a true
// value into Nullable and drops a false one.
const nullableKey = "x-contractlint-nullable"

func bundleSwagger(path string) (map[string]any, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	b := &bundler{root: abs, files: map[string]map[string]any{}, names: map[string]string{}, taken: map[string]map[string]bool{}}
	doc, err := b.file(abs)
	if err != nil {
		return nil, err
	}
	for _, section := range []string{"definitions", "parameters", "responses"} {
		b.taken[section] = map[string]bool{}
		if m, ok := doc[section].(map[string]any); ok {
			for k := range m {
				b.taken[section][k] = true
			}
		}
	}
	out, err := b.walk(doc, abs, "")
	if err != nil {
		return nil, err
	}
	b.doc = out.(map[string]any)
	for len(b.pending) > 0 {
		p := b.pending[0]
		b.pending = b.pending[1:]
		v, err := b.walk(p.value, p.file, "/"+p.section+"/"+p.name)
		if err != nil {
			return nil, err
		}
		sec, _ := b.doc[p.section].(map[string]any)
		if sec == nil {
			sec = map[string]any{}
			b.doc[p.section] = sec
		}
		sec[p.name] = v
	}
	renameComponents(b.doc)
	return b.doc, nil
}

// SwaggerNameKey is the extension that keeps a definition's Swagger name when
// the name is not a valid OpenAPI 3 component name and had to be changed.
const SwaggerNameKey = "x-contractlint-swagger-name"

// ComponentName returns the OpenAPI 3 component name for a Swagger 2.0
// definition, parameter or response name: characters outside [a-zA-Z0-9._-]
// become "_" ("A[B]" becomes "A_B").
func ComponentName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return strings.TrimRight(b.String(), "_")
}

// renameComponents gives every component an OpenAPI 3 compatible name,
// recording the original in SwaggerNameKey and rewriting the $refs.
func renameComponents(doc map[string]any) {
	renamed := map[string]string{}
	for _, section := range []string{"definitions", "parameters", "responses"} {
		sec, _ := doc[section].(map[string]any)
		for _, name := range sortedKeys(sec) {
			valid := ComponentName(name)
			if valid == name {
				continue
			}
			for sec[valid] != nil {
				valid += "_"
			}
			v := sec[name]
			if m, ok := v.(map[string]any); ok && section == "definitions" {
				m[SwaggerNameKey] = name
			}
			delete(sec, name)
			sec[valid] = v
			renamed["#/"+section+"/"+escapePointer(name)] = "#/" + section + "/" + valid
		}
	}
	if len(renamed) == 0 {
		return
	}
	var walk func(any)
	walk = func(n any) {
		switch v := n.(type) {
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				if to, ok := renamed[ref]; ok {
					v["$ref"] = to
				}
			}
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(doc)
}

func (b *bundler) file(abs string) (map[string]any, error) {
	if doc, ok := b.files[abs]; ok {
		return doc, nil
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", abs, err)
	}
	b.files[abs] = doc
	return doc, nil
}

// schemaSiblings are keywords that change a schema's meaning when they sit
// next to a $ref; Swagger tooling honours them, JSON Schema draft 4 ignores them.
var schemaSiblings = map[string]bool{
	"readOnly": true, "x-ms-mutability": true, "x-nullable": true, "x-ms-secret": true,
	"x-ms-enum": true, "enum": true, "format": true, "pattern": true, "default": true,
}

func (b *bundler) walk(node any, file, at string) (any, error) {
	switch v := node.(type) {
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			w, err := b.walk(e, file, fmt.Sprintf("%s/%d", at, i))
			if err != nil {
				return nil, err
			}
			out[i] = w
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			if k == "x-ms-examples" {
				continue // example references point at files we do not need
			}
			w, err := b.walk(e, file, at+"/"+escapePointer(k))
			if err != nil {
				return nil, err
			}
			if k == "x-nullable" {
				k = nullableKey
			}
			out[k] = w
		}
		ref, ok := v["$ref"].(string)
		if !ok {
			return out, nil
		}
		local, err := b.ref(ref, file)
		if err != nil {
			return nil, fmt.Errorf("%s#%s: %w", file, at, err)
		}
		out["$ref"] = local
		var wrap bool
		for k := range v {
			if schemaSiblings[k] {
				wrap = true
			}
		}
		if wrap && strings.HasPrefix(local, "#/definitions/") {
			delete(out, "$ref")
			out["allOf"] = []any{map[string]any{"$ref": local}}
		}
		return out, nil
	default:
		return node, nil
	}
}

// ref rewrites one $ref found in file to a reference local to the bundle,
// scheduling the copy of an external target.
func (b *bundler) ref(ref, file string) (string, error) {
	filePart, frag, _ := strings.Cut(ref, "#")
	target := file
	if filePart != "" {
		target = filepath.Clean(filepath.Join(filepath.Dir(file), filepath.FromSlash(filePart)))
	}
	if target == b.root {
		return "#" + frag, nil
	}
	parts := strings.Split(strings.TrimPrefix(frag, "/"), "/")
	if len(parts) != 2 || (parts[0] != "definitions" && parts[0] != "parameters" && parts[0] != "responses") {
		return "", fmt.Errorf("unsupported external $ref %q", ref)
	}
	section, name := parts[0], unescapePointer(parts[1])
	key := target + "#" + frag
	if local, ok := b.names[key]; ok {
		return "#/" + section + "/" + escapePointer(local), nil
	}
	doc, err := b.file(target)
	if err != nil {
		return "", fmt.Errorf("$ref %q: %w", ref, err)
	}
	sec, _ := doc[section].(map[string]any)
	value, ok := sec[name]
	if !ok {
		return "", fmt.Errorf("$ref %q: no %s %q in %s", ref, section, name, target)
	}
	local := name
	if b.taken[section][local] {
		local = fileTag(target) + "." + name
		for i := 2; b.taken[section][local]; i++ {
			local = fmt.Sprintf("%s.%s%d", fileTag(target), name, i)
		}
	}
	b.taken[section][local] = true
	b.names[key] = local
	b.pending = append(b.pending, pendingCopy{file: target, section: section, name: local, value: value})
	return "#/" + section + "/" + escapePointer(local), nil
}

// fileTag names a referenced file by its last path elements, for example
// "common-types.v2.types".
func fileTag(path string) string {
	dir, base := filepath.Split(path)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	d := strings.Split(filepath.ToSlash(filepath.Clean(dir)), "/")
	if len(d) > 0 {
		base = d[len(d)-1] + "." + base
	}
	return base
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func unescapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

func sortedKeys[M ~map[string]V, V any](m M) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
