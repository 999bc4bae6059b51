package spec

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:generate go run ./gencontracts -specs ../../shared/azure-specs -out contracts

//go:embed contracts
var contractFS embed.FS

// EmbeddedSources lists the embedded contract files, for example
// "contracts/microsoft.devices/2022-12-12.json", in lexical order.
func EmbeddedSources() []string {
	var out []string
	_ = fs.WalkDir(contractFS, "contracts", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && path.Ext(p) == ".json" {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// EmbeddedContract returns the raw bytes of an embedded contract file.
func EmbeddedContract(source string) ([]byte, error) {
	return contractFS.ReadFile(source)
}

var embedded = sync.OnceValues(loadEmbedded)

// Embedded returns the registry of the contracts shipped inside contractlint.
// The documents are loaded and validated once per process; a broken embedded
// contract is an error naming the document.
func Embedded() (*Registry, error) { return embedded() }

func loadEmbedded() (*Registry, error) {
	// The documents are independent: load them in parallel, which is most of
	// the start-up time of the command line.
	sources := EmbeddedSources()
	contracts := make([]*Contract, len(sources))
	errs := make([]error, len(sources))
	var wg sync.WaitGroup
	for i, src := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			contracts[i], errs[i] = loadEmbeddedContract(src)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return NewRegistry(contracts...)
}

func loadEmbeddedContract(src string) (*Contract, error) {
	data, err := contractFS.ReadFile(src)
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromDataWithPath(data, &url.URL{Path: src})
	if err != nil {
		return nil, fmt.Errorf("embedded contract %s: %w", src, err)
	}
	c, err := NewContract(doc, src)
	if err != nil {
		return nil, fmt.Errorf("embedded contract %s: %w", src, err)
	}
	return c, nil
}
