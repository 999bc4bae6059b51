// Command loadupstream is the service behind the proxy in scripts/loadtest.sh:
// it answers every call the way DPS answers a certificate PUT, with a body
// that conforms to the 2022-12-12 contract. It listens on loopback only.
package main

import (
	"flag"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
)

const certificate = `{"id":"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Devices/provisioningServices/dps1/certificates/cert1","name":"cert1","type":"Microsoft.Devices/provisioningServices/certificates","etag":"AAAAAAAADGk=","properties":{"certificate":"MA==","isVerified":false,"subject":"CN=contoso","thumbprint":"97C5D7F7B1A0B3E5"}}`

func main() {
	listen := flag.String("listen", "127.0.0.1:18181", "loopback `ADDR` to listen on")
	flag.Parse()
	host, _, err := net.SplitHostPort(*listen)
	if err != nil || !net.ParseIP(host).IsLoopback() {
		log.Fatalf("loadupstream: %q is not a loopback address", *listen)
	}
	length := strconv.Itoa(len(certificate))
	log.Fatal(http.ListenAndServe(*listen, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		h := w.Header()
		h["Content-Type"] = []string{"application/json; charset=utf-8"}
		h["Content-Length"] = []string{length}
		io.WriteString(w, certificate)
	})))
}
