/*
 * Routes orders through libomniroute as an OMS backend would: load the network, stock and policy
 * once, then for each order (one JSON object a line) route and reserve it, print the decision
 * (one JSON object a line, as `omniroute route --format json` writes it) and commit the
 * reservation. Ends by showing how a refused order reads (on stderr).
 *
 *   route_orders NODES_CSV STOCK_CSV POLICY_TOML|"" ORDERS_NDJSON NOW_RFC3339
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omniroute.h"

/* Prints the error, frees it and returns the exit code. */
static int fail(const char *what, OmError *err) {
    const char *field = omniroute_error_field(err);
    fprintf(stderr, "%s: %s %s%s%s (hint: %s)\n", what, omniroute_error_code(err),
            field ? "at " : "", field ? field : "", field ? ": " : "",
            omniroute_error_hint(err));
    fprintf(stderr, "%s\n", omniroute_error_message(err));
    omniroute_error_free(err);
    return 2;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: %s NODES STOCK POLICY|\"\" ORDERS_NDJSON NOW\n", argv[0]);
        return 2;
    }
    const char *policy = argv[3][0] ? argv[3] : NULL;
    const char *now = argv[5];
    OmError *err = NULL;
    OmRouter *router = omniroute_router_from_csv(argv[1], argv[2], policy, &err);
    if (!router) {
        return fail("cannot load the inputs", err);
    }
    FILE *orders = fopen(argv[4], "r");
    if (!orders) {
        perror(argv[4]);
        omniroute_router_free(router);
        return 2;
    }
    int code = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while (code == 0 && (len = getline(&line, &cap, orders)) > 0) {
        if (line[len - 1] == '\n') {
            line[len - 1] = '\0';
        }
        if (line[0] == '\0') {
            continue;
        }
        uint64_t reservation = 0;
        char *decision = NULL;
        if (omniroute_reserve_json(router, line, now, 900, &reservation, &decision, &err) !=
            OMNIROUTE_OK) {
            code = fail("an order was refused", err);
            break;
        }
        puts(decision);
        omniroute_string_free(decision);
        if (omniroute_commit(router, reservation, now, &err) != OMNIROUTE_OK) {
            code = fail("cannot commit", err);
        }
    }
    free(line);
    fclose(orders);

    /* A bad order is an error with the orders reader's code and the JSON field. */
    const char *bad =
        "{\"order_id\": \"BAD-1\", \"dest\": {\"lat\": 28.6, \"lon\": 77.2},"
        " \"lines\": [{\"sku\": \"X\", \"qty\": \"many\"}]}";
    char *decision = NULL;
    if (code == 0 && omniroute_route_json(router, bad, now, &decision, &err) != OMNIROUTE_OK) {
        fprintf(stderr, "refused as expected: %s at %s\n", omniroute_error_code(err),
                omniroute_error_field(err));
        omniroute_error_free(err);
    } else if (code == 0) {
        fprintf(stderr, "a bad order was accepted: %s\n", decision);
        omniroute_string_free(decision);
        code = 1;
    }
    omniroute_router_free(router);
    return code;
}
