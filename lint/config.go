package lint

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/contractlint/contractlint/validate"
	"gopkg.in/yaml.v3"
)

// ConfigName is the file name of the configuration, found upward from the
// working directory.
const ConfigName = ".contractlint.yaml"

// Config is the content of a .contractlint.yaml file.
type Config struct {
	// Severity sets a code's severity: "error", "warning", "info" or "off".
	Severity map[string]string `yaml:"severity"`
	// Ignore lists globs (relative to the config file's directory; "**"
	// crosses directories) of files and directories to skip.
	Ignore []string `yaml:"ignore"`
	// StrictEnums makes values outside extensible enums errors.
	StrictEnums bool `yaml:"strictEnums"`
	// Payloads maps globs of bare payload files to their operation.
	Payloads []PayloadMapping `yaml:"payloads"`
	// Limits protects against hostile input.
	Limits Limits `yaml:"limits"`

	// Dir is the directory the file was found in; globs are relative to it.
	Dir string `yaml:"-"`
	// Path is the file the configuration was read from, empty for defaults.
	Path string `yaml:"-"`
}

// PayloadMapping says which operation and direction the bare payload files
// matching Glob belong to.
type PayloadMapping struct {
	Glob       string `yaml:"glob"`
	Operation  string `yaml:"operation"`
	APIVersion string `yaml:"apiVersion"`
	Direction  string `yaml:"direction"`
	Status     int    `yaml:"status"`
}

// Limits caps what one exchange may cost.
type Limits struct {
	MaxBodySize int `yaml:"maxBodySize"`
	MaxDepth    int `yaml:"maxDepth"`
	MaxFindings int `yaml:"maxFindings"`
}

// FindConfig looks for ConfigName in dir and its parents. It returns a nil
// config (and no error) when there is none.
func FindConfig(dir string) (*Config, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	for {
		p := filepath.Join(dir, ConfigName)
		if _, err := os.Stat(p); err == nil {
			return LoadConfig(p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil, nil
		}
		dir = parent
	}
}

// LoadConfig reads and checks a configuration file. Unknown keys, unknown
// codes and bad severities are errors.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, errEOF(err)) {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	c.Path, c.Dir = path, filepath.Dir(abs)
	if err := c.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &c, nil
}

// errEOF lets an empty file count as an empty configuration.
func errEOF(err error) error {
	if err != nil && err.Error() == "EOF" {
		return err
	}
	return nil
}

func (c *Config) check() error {
	for _, code := range sortedKeys(c.Severity) {
		if _, ok := validate.LookupRule(code); !ok {
			return fmt.Errorf("severity: unknown code %q (see contractlint rules)", code)
		}
		if s := strings.ToLower(c.Severity[code]); s != "off" {
			if _, err := validate.ParseSeverity(s); err != nil {
				return fmt.Errorf("severity of %s: %w (or off)", code, err)
			}
		}
	}
	for i, m := range c.Payloads {
		if m.Glob == "" || m.Operation == "" {
			return fmt.Errorf("payloads[%d]: glob and operation are required", i)
		}
		if m.Direction != "" && m.Direction != "request" && m.Direction != "response" {
			return fmt.Errorf("payloads[%d]: direction must be request or response, not %q", i, m.Direction)
		}
	}
	return nil
}

// Rules turns the severity map into severities and disabled codes.
func (c *Config) Rules() (map[string]validate.Severity, map[string]bool) {
	sev, off := map[string]validate.Severity{}, map[string]bool{}
	if c == nil {
		return sev, off
	}
	for code, s := range c.Severity {
		if strings.EqualFold(s, "off") {
			off[code] = true
			continue
		}
		if v, err := validate.ParseSeverity(s); err == nil {
			sev[code] = v
		}
	}
	return sev, off
}

// rel returns path relative to the config directory, with forward slashes,
// or "" when it lies outside.
func (c *Config) rel(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return ""
	}
	r, err := filepath.Rel(c.Dir, abs)
	if err != nil || strings.HasPrefix(r, "..") {
		return ""
	}
	return filepath.ToSlash(r)
}

// Ignored reports whether path matches an ignore glob.
func (c *Config) Ignored(path string) bool {
	if c == nil || len(c.Ignore) == 0 {
		return false
	}
	r := c.rel(path)
	if r == "" {
		return false
	}
	for _, g := range c.Ignore {
		if matchGlobOrParent(g, r) {
			return true
		}
	}
	return false
}

// Payload returns the mapping for a bare payload file, if one matches.
func (c *Config) Payload(path string) (PayloadMapping, bool) {
	if c == nil {
		return PayloadMapping{}, false
	}
	r := c.rel(path)
	if r == "" {
		return PayloadMapping{}, false
	}
	for _, m := range c.Payloads {
		if matchGlob(m.Glob, r) {
			return m, true
		}
	}
	return PayloadMapping{}, false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
