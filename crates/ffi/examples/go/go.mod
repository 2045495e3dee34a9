module omniroute.example/routeorders

go 1.19
