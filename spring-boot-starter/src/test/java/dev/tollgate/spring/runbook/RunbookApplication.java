package dev.tollgate.spring.runbook;

import dev.tollgate.spring.RequiresBilling;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** A minimal service: a gated write, a gated read and an ungated endpoint. */
@SpringBootApplication
public class RunbookApplication {

    /** The controller the runbook calls. */
    @RestController
    static class Projects {

        @PostMapping("/api/projects")
        @ResponseStatus(HttpStatus.CREATED)
        @RequiresBilling(operation = RequiresBilling.WRITE)
        String create() {
            return "{\"created\":true}";
        }

        @GetMapping("/api/projects")
        @RequiresBilling(operation = RequiresBilling.READ)
        String list() {
            return "[]";
        }

        @PostMapping("/api/open")
        String open() {
            return "open";
        }
    }
}
