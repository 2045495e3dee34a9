// Routes orders through libomniroute from Go (cgo), as route_orders.c does: load the network,
// stock and policy once, then for each order (one JSON object a line) route and reserve it,
// print the decision (one JSON object a line, as `omniroute route --format json` writes it) and
// commit the reservation.
//
//	routeorders NODES_CSV STOCK_CSV POLICY_TOML|"" ORDERS_NDJSON NOW_RFC3339
//
// Build with CGO_CFLAGS=-I<repo>/include and CGO_LDFLAGS=-L<dir of libomniroute.so> (see
// scripts/ffi-test).
package main

// #cgo LDFLAGS: -lomniroute
// #include <stdlib.h>
// #include "omniroute.h"
import "C"

import (
	"bufio"
	"fmt"
	"os"
	"unsafe"
)

// Router is a loaded omniroute router; safe to share between goroutines.
type Router struct{ ptr *C.OmRouter }

// Error is an omniroute error: a stable code (docs/errors.md), the message, the hint and the
// JSON field or argument it is about.
type Error struct{ Code, Message, Hint, Field string }

func (e *Error) Error() string { return e.Code + " " + e.Message + " (hint: " + e.Hint + ")" }

// takeError copies an error handle into Go and frees it.
func takeError(err *C.OmError) error {
	defer C.omniroute_error_free(err)
	e := &Error{
		Code:    C.GoString(C.omniroute_error_code(err)),
		Message: C.GoString(C.omniroute_error_message(err)),
		Hint:    C.GoString(C.omniroute_error_hint(err)),
	}
	if f := C.omniroute_error_field(err); f != nil {
		e.Field = C.GoString(f)
	}
	return e
}

// cString is s as a C string (free it), or NULL for "".
func cString(s string) *C.char {
	if s == "" {
		return nil
	}
	return C.CString(s)
}

// Load builds the router once from nodes, stock and a policy file ("" for the default policy).
func Load(nodes, stock, policy string) (*Router, error) {
	n, s, p := cString(nodes), cString(stock), cString(policy)
	defer C.free(unsafe.Pointer(n))
	defer C.free(unsafe.Pointer(s))
	defer C.free(unsafe.Pointer(p))
	var err *C.OmError
	r := C.omniroute_router_from_csv(n, s, p, &err)
	if r == nil {
		return nil, takeError(err)
	}
	return &Router{r}, nil
}

// Close frees the router.
func (r *Router) Close() { C.omniroute_router_free(r.ptr) }

// Reserve routes and reserves one order (JSON) for ttl seconds: the reservation id and the
// decision (JSON).
func (r *Router) Reserve(order, now string, ttl uint64) (uint64, string, error) {
	o, n := C.CString(order), cString(now)
	defer C.free(unsafe.Pointer(o))
	defer C.free(unsafe.Pointer(n))
	var id C.uint64_t
	var out *C.char
	var err *C.OmError
	if C.omniroute_reserve_json(r.ptr, o, n, C.uint64_t(ttl), &id, &out, &err) != C.OMNIROUTE_OK {
		return 0, "", takeError(err)
	}
	defer C.omniroute_string_free(out)
	return uint64(id), C.GoString(out), nil
}

// Commit ships a reservation.
func (r *Router) Commit(id uint64, now string) error {
	n := cString(now)
	defer C.free(unsafe.Pointer(n))
	var err *C.OmError
	if C.omniroute_commit(r.ptr, C.uint64_t(id), n, &err) != C.OMNIROUTE_OK {
		return takeError(err)
	}
	return nil
}

func main() {
	if len(os.Args) != 6 {
		fmt.Fprintln(os.Stderr, "usage: routeorders NODES STOCK POLICY|\"\" ORDERS_NDJSON NOW")
		os.Exit(2)
	}
	router, err := Load(os.Args[1], os.Args[2], os.Args[3])
	if err != nil {
		fmt.Fprintln(os.Stderr, "cannot load the inputs:", err)
		os.Exit(2)
	}
	defer router.Close()
	f, err := os.Open(os.Args[4])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer f.Close()
	now := os.Args[5]
	lines := bufio.NewScanner(f)
	lines.Buffer(make([]byte, 1<<20), 1<<24)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for lines.Scan() {
		if len(lines.Bytes()) == 0 {
			continue
		}
		id, decision, err := router.Reserve(lines.Text(), now, 900)
		if err != nil {
			fmt.Fprintln(os.Stderr, "an order was refused:", err)
			os.Exit(2)
		}
		fmt.Fprintln(out, decision)
		if err := router.Commit(id, now); err != nil {
			fmt.Fprintln(os.Stderr, "cannot commit:", err)
			os.Exit(2)
		}
	}
}
