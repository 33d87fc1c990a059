package cossign

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// needSignHeaders is the SDK's default NeedSignHeaders set (auth.go); any
// header starting with x-cos- or x-ci- is signed as well.
var needSignHeaders = map[string]bool{
	"host": true, "range": true,
	"x-cos-acl": true, "x-cos-grant-read": true, "x-cos-grant-write": true, "x-cos-grant-full-control": true,
	"cache-control": true, "content-disposition": true, "content-encoding": true,
	"content-type": true, "content-length": true, "content-md5": true,
	"transfer-encoding": true, "expect": true, "expires": true,
	"x-cos-content-sha1": true, "x-cos-storage-class": true,
	"if-match": true, "if-modified-since": true, "if-none-match": true, "if-unmodified-since": true,
	"origin": true, "access-control-request-method": true, "access-control-request-headers": true,
	"x-cos-object-type": true, "pic-operations": true,
}

func isSignHeader(lowerName string) bool {
	return needSignHeaders[lowerName] ||
		strings.HasPrefix(lowerName, "x-cos-") || strings.HasPrefix(lowerName, "x-ci-")
}

// defaultHeaderList is what the SDK would put in q-header-list: host plus
// every present header it signs, one entry per value, sorted.
func defaultHeaderList(r *http.Request) []string {
	var list []string
	for n, vs := range headerValues(r) {
		if n == "content-length" && r.Header.Get("Content-Length") == "" {
			continue // only Go's r.ContentLength: the SDK would not sign it
		}
		if !isSignHeader(n) {
			continue
		}
		for range vs {
			list = append(list, n)
		}
	}
	sort.Strings(list)
	return list
}

// defaultParamList lists every query parameter, one entry per value, sorted.
func defaultParamList(r *http.Request) []string {
	var list []string
	for n, vs := range paramValues(r) {
		for range vs {
			list = append(list, n)
		}
	}
	sort.Strings(list)
	return list
}

func formatTimeRange(start, end time.Time) string {
	return strconv.FormatInt(start.Unix(), 10) + ";" + strconv.FormatInt(end.Unix(), 10)
}

// authFieldsFor computes the seven signature fields (sign time = key time).
func authFieldsFor(r *http.Request, cred Credential, start, end time.Time, headerList, paramList []string) [][2]string {
	if headerList == nil {
		headerList = defaultHeaderList(r)
	}
	if paramList == nil {
		paramList = defaultParamList(r)
	}
	t := formatTimeRange(start, end)
	httpString, _, _ := canonical(r, headerList, paramList)
	return [][2]string{
		{fieldAlgorithm, algorithm},
		{fieldAK, cred.SecretID},
		{fieldSignTime, t},
		{fieldKeyTime, t},
		{fieldHeaders, strings.Join(headerList, ";")},
		{fieldParams, strings.Join(paramList, ";")},
		{fieldSignature, computeSignature(cred.SecretKey, t, t, httpString)},
	}
}

// Sign computes the Authorization value for a request the caller is about to
// send (tests use it to build raw signed requests, including deliberately
// wrong ones). It does not modify r.
//
// headerList nil = host plus every present header the SDK would sign
// (NeedSignHeaders, x-cos-*, x-ci-*, and transfer-encoding when
// r.TransferEncoding is set); paramList nil = every query parameter. Explicit
// lists are used verbatim (lower-case, already encoded names); a listed name
// the request lacks is left out of the signed string.
//
// host is r.Host, else r.URL.Host. Sign does not add the session token: when
// cred.Token is set, set the x-cos-security-token header before signing, or
// use SignRequest.
func Sign(r *http.Request, cred Credential, start, end time.Time, headerList, paramList []string) string {
	fields := authFieldsFor(r, cred, start, end, headerList, paramList)
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = f[0] + "=" + f[1]
	}
	return strings.Join(parts, "&")
}

// SignRequest signs r like the SDK's AuthorizationTransport: it sets the
// x-cos-security-token header when cred.Token is set, then the Authorization
// header, with default header and parameter lists.
func SignRequest(r *http.Request, cred Credential, start, end time.Time) {
	if r.Header == nil {
		r.Header = http.Header{}
	}
	if cred.Token != "" {
		r.Header.Set(TokenName, cred.Token)
	}
	r.Header.Set("Authorization", Sign(r, cred, start, end, nil, nil))
}

// Presign returns the query parameters to append for a presigned URL
// (q-sign-algorithm ... q-signature, plus x-cos-security-token when
// cred.Token is set, signed). Every query parameter already in u is signed,
// and the header host (host, else u.Host; nothing when both are empty).
// Append the result with u.RawQuery += "&" + v.Encode() (or merge it into
// u.Query()); u must not already carry x-cos-security-token or q-* fields.
func Presign(method string, u *url.URL, host string, cred Credential, start, end time.Time) url.Values {
	q := u.Query()
	for _, f := range authFields {
		q.Del(f)
	}
	if cred.Token != "" {
		q.Set(TokenName, cred.Token)
	}
	if host == "" {
		host = u.Host
	}
	r := &http.Request{
		Method: method,
		URL:    &url.URL{Path: u.Path, RawQuery: q.Encode()},
		Host:   host,
		Header: http.Header{},
	}
	headerList := []string{}
	if host != "" {
		headerList = []string{"host"}
	}
	out := url.Values{}
	for _, f := range authFieldsFor(r, cred, start, end, headerList, nil) {
		out.Set(f[0], f[1])
	}
	if cred.Token != "" {
		out.Set(TokenName, cred.Token)
	}
	return out
}
