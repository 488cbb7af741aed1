/// The agent tests' own small ruleset (scanner user agents, is_sqli, is_xss, path traversal, RASP rules, all
/// blocking), so these tests do not depend on how the default ruleset tunes its rules.
let agentTestRuleset: String = ###"""
{
 "version": "2.2",
 "metadata": {
  "rules_version": "rampart-embedded-0.1"
 },
 "actions": [
  {
   "id": "block",
   "type": "block_request",
   "parameters": {
    "status_code": 403,
    "type": "auto",
    "grpc_status_code": 10
   }
  },
  {
   "id": "stack_trace",
   "type": "generate_stack",
   "parameters": {}
  }
 ],
 "rules": [
  {
   "id": "rpt-ua-001",
   "name": "Security scanner user agent",
   "tags": {
    "type": "security_scanner",
    "category": "attack_attempt"
   },
   "conditions": [
    {
     "operator": "match_regex",
     "parameters": {
      "inputs": [
       {
        "address": "server.request.headers.no_cookies",
        "key_path": [
         "user-agent"
        ]
       }
      ],
      "regex": "\\b(?:sqlmap|nikto|nmap|nessus|acunetix|wpscan|dirbuster|gobuster|masscan|zgrab|nuclei|openvas|w3af|havij|arachni|commix)\\b",
      "options": {
       "case_sensitive": false,
       "min_length": 4
      }
     }
    }
   ],
   "transformers": [],
   "on_match": [
    "block"
   ]
  },
  {
   "id": "rpt-sqli-001",
   "name": "SQL injection in request parameters",
   "tags": {
    "type": "sql_injection",
    "category": "attack_attempt"
   },
   "conditions": [
    {
     "operator": "is_sqli",
     "parameters": {
      "inputs": [
       {
        "address": "server.request.query"
       },
       {
        "address": "server.request.body"
       },
       {
        "address": "server.request.path_params"
       },
       {
        "address": "server.request.cookies"
       }
      ]
     }
    }
   ],
   "transformers": [],
   "on_match": [
    "block"
   ]
  },
  {
   "id": "rpt-xss-001",
   "name": "Cross-site scripting in request parameters",
   "tags": {
    "type": "xss",
    "category": "attack_attempt"
   },
   "conditions": [
    {
     "operator": "is_xss",
     "parameters": {
      "inputs": [
       {
        "address": "server.request.query"
       },
       {
        "address": "server.request.body"
       },
       {
        "address": "server.request.path_params"
       },
       {
        "address": "server.request.cookies"
       }
      ]
     }
    }
   ],
   "transformers": [],
   "on_match": [
    "block"
   ]
  },
  {
   "id": "rpt-lfi-001",
   "name": "Path traversal in the URL or parameters",
   "tags": {
    "type": "lfi",
    "category": "attack_attempt"
   },
   "conditions": [
    {
     "operator": "match_regex",
     "parameters": {
      "inputs": [
       {
        "address": "server.request.uri.raw"
       },
       {
        "address": "server.request.query"
       },
       {
        "address": "server.request.body"
       },
       {
        "address": "server.request.path_params"
       }
      ],
      "regex": "(?:^|[\\\\/]|%2[fF]|%5[cC])(?:\\.|%2[eE]){2}(?:[\\\\/]|%2[fF]|%5[cC]|$)",
      "options": {
       "case_sensitive": true,
       "min_length": 2
      }
     }
    }
   ],
   "transformers": [],
   "on_match": [
    "block"
   ]
  },
  {
   "id": "rpt-lfi-002",
   "name": "Access to well-known system files",
   "tags": {
    "type": "lfi",
    "category": "attack_attempt"
   },
   "conditions": [
    {
     "operator": "match_regex",
     "parameters": {
      "inputs": [
       {
        "address": "server.request.uri.raw"
       },
       {
        "address": "server.request.query"
       },
       {
        "address": "server.request.body"
       },
       {
        "address": "server.request.path_params"
       }
      ],
      "regex": "(?:(?:/|%2[fF])etc(?:/|%2[fF])(?:passwd|shadow|group)|(?:/|%2[fF])proc(?:/|%2[fF])self(?:/|%2[fF])|\\bwin\\.ini\\b|\\bboot\\.ini\\b)",
      "options": {
       "case_sensitive": false,
       "min_length": 7
      }
     }
    }
   ],
   "transformers": [],
   "on_match": [
    "block"
   ]
  },
  {
   "id": "rpt-rasp-sqli",
   "name": "SQL injection exploit",
   "tags": {
    "type": "sql_injection",
    "category": "vulnerability_trigger",
    "module": "rasp"
   },
   "conditions": [
    {
     "operator": "sqli_detector",
     "parameters": {
      "resource": [
       {
        "address": "server.db.statement"
       }
      ],
      "params": [
       {
        "address": "server.request.query"
       },
       {
        "address": "server.request.body"
       },
       {
        "address": "server.request.path_params"
       }
      ],
      "db_type": [
       {
        "address": "server.db.system"
       }
      ]
     }
    }
   ],
   "transformers": [],
   "on_match": [
    "block",
    "stack_trace"
   ]
  },
  {
   "id": "rpt-rasp-lfi",
   "name": "Local file inclusion exploit",
   "tags": {
    "type": "lfi",
    "category": "vulnerability_trigger",
    "module": "rasp"
   },
   "conditions": [
    {
     "operator": "lfi_detector",
     "parameters": {
      "resource": [
       {
        "address": "server.io.fs.file"
       }
      ],
      "params": [
       {
        "address": "server.request.query"
       },
       {
        "address": "server.request.body"
       },
       {
        "address": "server.request.path_params"
       }
      ]
     }
    }
   ],
   "transformers": [],
   "on_match": [
    "block",
    "stack_trace"
   ]
  },
  {
   "id": "rpt-rasp-ssrf",
   "name": "Server-side request forgery exploit",
   "tags": {
    "type": "ssrf",
    "category": "vulnerability_trigger",
    "module": "rasp"
   },
   "conditions": [
    {
     "operator": "ssrf_detector",
     "parameters": {
      "resource": [
       {
        "address": "server.io.net.url"
       }
      ],
      "params": [
       {
        "address": "server.request.query"
       },
       {
        "address": "server.request.body"
       },
       {
        "address": "server.request.path_params"
       }
      ]
     }
    }
   ],
   "transformers": [],
   "on_match": [
    "block",
    "stack_trace"
   ]
  },
  {
   "id": "rpt-rasp-shi",
   "name": "Shell injection exploit",
   "tags": {
    "type": "command_injection",
    "category": "vulnerability_trigger",
    "module": "rasp"
   },
   "conditions": [
    {
     "operator": "shi_detector",
     "parameters": {
      "resource": [
       {
        "address": "server.sys.shell.cmd"
       }
      ],
      "params": [
       {
        "address": "server.request.query"
       },
       {
        "address": "server.request.body"
       },
       {
        "address": "server.request.path_params"
       }
      ]
     }
    }
   ],
   "transformers": [],
   "on_match": [
    "block",
    "stack_trace"
   ]
  },
  {
   "id": "rpt-rasp-cmdi",
   "name": "Command injection exploit",
   "tags": {
    "type": "command_injection",
    "category": "vulnerability_trigger",
    "module": "rasp"
   },
   "conditions": [
    {
     "operator": "cmdi_detector",
     "parameters": {
      "resource": [
       {
        "address": "server.sys.exec.cmd"
       }
      ],
      "params": [
       {
        "address": "server.request.query"
       },
       {
        "address": "server.request.body"
       },
       {
        "address": "server.request.path_params"
       }
      ]
     }
    }
   ],
   "transformers": [],
   "on_match": [
    "block",
    "stack_trace"
   ]
  }
 ]
}

"""###
