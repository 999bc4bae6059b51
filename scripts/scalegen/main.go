// Command scalegen writes the inputs of scripts/scale.sh: a directory of
// traffic payload files and one large HAR archive, both made of realistic
// DPS and APIM certificate calls (a few of them invalid).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

const sub = "91d12660-3dec-467a-be2a-213b5544a7ec"

func call(i int) (method, url string, reqBody any, status int, respBody any) {
	switch i % 3 {
	case 0:
		cert := "MA=="
		if i%100 == 0 {
			cert = "####" // a deliberate finding now and then
		}
		u := fmt.Sprintf("https://management.azure.com/subscriptions/%s/resourceGroups/rg%d/providers/Microsoft.Devices/provisioningServices/dps%d/certificates/cert%d?api-version=2022-12-12", sub, i%50, i%7, i)
		return "PUT", u, map[string]any{"properties": map[string]any{"certificate": cert}}, 200,
			map[string]any{"id": u[len("https://management.azure.com"):strings.IndexByte(u, '?')], "name": fmt.Sprintf("cert%d", i), "type": "Microsoft.Devices/provisioningServices/certificates", "etag": "AAAAAAExpNs=",
				"properties": map[string]any{"subject": "CN=contoso", "expiry": "Sat, 31 Dec 2039 23:59:59 GMT", "thumbprint": "97388663832D0393C9246CAB4FBA2C8677185A25", "isVerified": false, "certificate": "MA==", "created": "Thu, 12 Oct 2023 19:23:50 GMT", "updated": "Thu, 12 Oct 2023 19:26:56 GMT"}}
	case 1:
		policy := "Hashed"
		if i%97 == 0 {
			policy = "Hash"
		}
		u := fmt.Sprintf("https://management.azure.com/subscriptions/%s/resourceGroups/rg%d/providers/Microsoft.Devices/provisioningServices/dps%d?api-version=2022-12-12", sub, i%50, i)
		body := map[string]any{"location": "eastus", "sku": map[string]any{"name": "S1", "capacity": 1},
			"properties": map[string]any{"allocationPolicy": policy, "publicNetworkAccess": "Enabled",
				"ipFilterRules": []any{map[string]any{"filterName": "office", "action": "Accept", "ipMask": "203.0.113.0/24", "target": "all"}},
				"iotHubs":       []any{map[string]any{"connectionString": "HostName=hub.azure-devices.net;SharedAccessKeyName=owner;SharedAccessKey=****", "location": "eastus", "allocationWeight": 1}}}}
		resp := map[string]any{"id": u[len("https://management.azure.com"):strings.IndexByte(u, '?')], "name": fmt.Sprintf("dps%d", i), "type": "Microsoft.Devices/provisioningServices", "location": "eastus",
			"sku":        map[string]any{"name": "S1", "tier": "Standard", "capacity": 1},
			"properties": map[string]any{"state": "Active", "provisioningState": "Succeeded", "allocationPolicy": "Hashed", "serviceOperationsHostName": "dps.azure-devices-provisioning.net", "deviceProvisioningHostName": "global.azure-devices-provisioning.net", "idScope": "0ne00000001"},
			"systemData": map[string]any{"createdBy": "someone@contoso.com", "createdByType": "User", "createdAt": "2023-10-12T19:23:50Z"}}
		return "PUT", u, body, 201, resp
	default:
		u := fmt.Sprintf("https://management.azure.com/subscriptions/%s/resourceGroups/rg%d/providers/Microsoft.ApiManagement/service/apim%d/certificates/cert%d?api-version=2024-05-01", sub, i%50, i%5, i)
		return "PUT", u, map[string]any{"properties": map[string]any{"keyVault": map[string]any{"secretIdentifier": "https://contoso.vault.azure.net/secrets/tls", "identityClientId": "ceaa6b06-c00f-43ef-99ac-f53d1fe876a0"}}}, 201,
			map[string]any{"id": u[len("https://management.azure.com"):strings.IndexByte(u, '?')], "name": fmt.Sprintf("cert%d", i), "type": "Microsoft.ApiManagement/service/certificates",
				"properties": map[string]any{"subject": "CN=*.contoso.com", "thumbprint": "EBA01B3E4F", "expirationDate": "2027-04-23T17:03:41Z"}}
	}
}

func main() {
	files := flag.Int("files", 30000, "traffic payload files to write")
	dir := flag.String("dir", "", "directory for the traffic files (skipped when empty)")
	har := flag.String("har", "", "HAR file to write (skipped when empty)")
	harMB := flag.Int("har-mb", 500, "approximate size of the HAR in MB")
	flag.Parse()
	if *dir != "" {
		if err := os.MkdirAll(*dir, 0o755); err != nil {
			fail(err)
		}
		for i := 0; i < *files; i++ {
			m, u, rb, st, sb := call(i)
			rec := map[string]any{
				"liveRequest":  map[string]any{"method": m, "url": u, "headers": map[string]string{"Content-Type": "application/json"}, "body": rb},
				"liveResponse": map[string]any{"statusCode": fmt.Sprint(st), "headers": map[string]string{"Content-Type": "application/json; charset=utf-8", "ETag": "\"AAAA\""}, "body": sb},
			}
			data, _ := json.MarshalIndent(rec, "", "  ")
			if err := os.WriteFile(filepath.Join(*dir, fmt.Sprintf("call-%05d.json", i)), data, 0o644); err != nil {
				fail(err)
			}
		}
	}
	if *har != "" {
		f, err := os.Create(*har)
		if err != nil {
			fail(err)
		}
		w := bufio.NewWriterSize(f, 1<<20)
		w.WriteString(`{"log":{"version":"1.2","creator":{"name":"scalegen","version":"1"},"entries":[` + "\n")
		limit := int64(*harMB) << 20
		var written int64
		for i := 0; written < limit; i++ {
			m, u, rb, st, sb := call(i)
			reqText, _ := json.Marshal(rb)
			respText, _ := json.MarshalIndent(sb, "", "  ")
			entry := map[string]any{
				"startedDateTime": "2026-11-02T10:00:00.000Z", "time": 12,
				"request": map[string]any{"method": m, "url": u, "httpVersion": "HTTP/1.1",
					"headers":     []any{map[string]string{"name": "Content-Type", "value": "application/json"}, map[string]string{"name": "Authorization", "value": "Bearer " + strings.Repeat("x", 1200)}},
					"queryString": []any{}, "cookies": []any{}, "headersSize": -1, "bodySize": len(reqText),
					"postData": map[string]any{"mimeType": "application/json", "text": string(reqText)}},
				"response": map[string]any{"status": st, "statusText": "", "httpVersion": "HTTP/1.1",
					"headers": []any{map[string]string{"name": "Content-Type", "value": "application/json"}, map[string]string{"name": "ETag", "value": "\"AAAA\""}},
					"cookies": []any{}, "content": map[string]any{"size": len(respText), "mimeType": "application/json", "text": string(respText)},
					"redirectURL": "", "headersSize": -1, "bodySize": len(respText)},
				"cache": map[string]any{}, "timings": map[string]any{"send": 0, "wait": 12, "receive": 0},
			}
			data, _ := json.MarshalIndent(entry, "    ", "  ")
			if i > 0 {
				w.WriteString(",\n")
			}
			w.WriteString("    ")
			w.Write(data)
			written += int64(len(data)) + 6
		}
		w.WriteString("\n]}}\n")
		if err := w.Flush(); err != nil {
			fail(err)
		}
		if err := f.Close(); err != nil {
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "scalegen:", err)
	os.Exit(1)
}
