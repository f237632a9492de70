from evaluator.cli.app import main

raise SystemExit(main())
