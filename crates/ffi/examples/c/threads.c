/*
 * Eight threads race through one router for a few units: each routes and reserves one-unit
 * orders while quoting, and the main thread feeds stock deltas meanwhile. Nothing may be
 * oversold: every shipped decision holds exactly one reserved unit, and the units reserved never
 * exceed the stock given in. Exits non-zero when that fails.
 *
 *   threads NODES_CSV STOCK_CSV SKU STOCK_UNITS
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omniroute.h"

#define THREADS 8
#define TRIES 40
#define DELTAS 3

static const OmRouter *router;
static const char *sku;

static void die(const char *what, OmError *err) {
    fprintf(stderr, "%s: %s %s\n", what, omniroute_error_code(err), omniroute_error_message(err));
    exit(1);
}

static void *race(void *arg) {
    long t = (long)arg;
    long shipped = 0;
    char order[512];
    for (int i = 0; i < TRIES; i++) {
        snprintf(order, sizeof order,
                 "{\"order_id\": \"T%ld-%d\", \"dest\": {\"lat\": 28.61, \"lon\": 77.21},"
                 " \"lines\": [{\"sku\": \"%s\", \"qty\": 1}]}",
                 t, i, sku);
        OmError *err = NULL;
        char *json = NULL;
        if (omniroute_route_json(router, order, NULL, &json, &err) != OMNIROUTE_OK) {
            die("quote", err);
        }
        omniroute_string_free(json);
        uint64_t id = 0;
        if (omniroute_reserve_json(router, order, NULL, 900, &id, &json, &err) != OMNIROUTE_OK) {
            die("reserve", err);
        }
        /* An unfilled decision has an empty shipments array. */
        if (strstr(json, "\"shipments\":[{")) {
            shipped++;
        }
        omniroute_string_free(json);
    }
    return (void *)shipped;
}

/* Units reserved at a node, read back from omniroute_stock_json. */
static long reserved_at(const char *node) {
    OmError *err = NULL;
    char *json = NULL;
    if (omniroute_stock_json(router, node, sku, &json, &err) != OMNIROUTE_OK) {
        die("stock", err);
    }
    const char *at = strstr(json, "\"reserved\":");
    long reserved = at ? strtol(at + strlen("\"reserved\":"), NULL, 10) : -1;
    omniroute_string_free(json);
    return reserved;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s NODES STOCK SKU STOCK_UNITS\n", argv[0]);
        return 2;
    }
    sku = argv[3];
    long given = strtol(argv[4], NULL, 10) + DELTAS;
    OmError *err = NULL;
    OmRouter *r = omniroute_router_from_csv(argv[1], argv[2], NULL, &err);
    if (!r) {
        die("load", err);
    }
    router = r;
    pthread_t threads[THREADS];
    for (long t = 0; t < THREADS; t++) {
        pthread_create(&threads[t], NULL, race, (void *)t);
    }
    /* Deltas arrive while the threads race: one unit at a time at node B. */
    for (int seq = 1; seq <= DELTAS; seq++) {
        char deltas[256];
        snprintf(deltas, sizeof deltas,
                 "[{\"node_id\": \"B\", \"seq\": %d, \"sku\": \"%s\", \"change\": 1}]", seq, sku);
        char *out = NULL;
        if (omniroute_apply_deltas_json(router, deltas, &out, &err) != OMNIROUTE_OK) {
            die("deltas", err);
        }
        omniroute_string_free(out);
    }
    long shipped = 0;
    for (int t = 0; t < THREADS; t++) {
        void *n;
        pthread_join(threads[t], &n);
        shipped += (long)n;
    }
    long reserved = reserved_at("A") + reserved_at("B");
    printf("%d threads x %d orders: %ld shipped, %ld units reserved, %ld units given in\n",
           THREADS, TRIES, shipped, reserved, given);
    omniroute_router_free(r);
    if (reserved > given || shipped != reserved) {
        fprintf(stderr, "OVERSOLD or lost: %ld shipped, %ld reserved, %ld given\n", shipped,
                reserved, given);
        return 1;
    }
    if (shipped < given - DELTAS) {
        fprintf(stderr, "the race did not take the stock: %ld shipped of %ld\n", shipped, given);
        return 1;
    }
    return 0;
}
