// Every id the extension shares with package.json (commands, views, panels, context keys, settings section), in one place.
// package.json's `contributes` mirrors this object; the integration tests check that the two agree.

export const ids = {
  /** `publisher.name` from package.json. */
  extension: 'cache-workbench.cache-workbench',
  /** Output channel shown as "Cache Workbench" in the Output view. */
  outputChannel: 'Cache Workbench',
  /** Prefix of every setting: `cacheWorkbench.db.latencyMs`, ... */
  configSection: 'cacheWorkbench',
  /** Language id of `.cachescenario` files. */
  language: 'cachescenario',
  /** Debug type of the scenario stepper. */
  debugType: 'cachescenario',
  commands: {
    openLesson: 'cacheWorkbench.openLesson',
    openWorkbench: 'cacheWorkbench.openWorkbench',
    compareStrategies: 'cacheWorkbench.compareStrategies',
    takeKnowledgeCheck: 'cacheWorkbench.takeKnowledgeCheck',
    openExample: 'cacheWorkbench.openExample',
    stepThroughScenario: 'cacheWorkbench.stepThroughScenario',
    runScenario: 'cacheWorkbench.runScenario',
    resetProgress: 'cacheWorkbench.resetProgress',
    /** Step Back and Reverse Continue with a key (VS Code has none by default), in a scenario debug session only. */
    stepBack: 'cacheWorkbench.stepBack',
    reverseContinue: 'cacheWorkbench.reverseContinue',
  },
  views: {
    /** Activity-bar view container; VS Code derives the command `workbench.view.extension.cacheWorkbench` from it. */
    container: 'cacheWorkbench',
    /** Sidebar webview view "Lesson". */
    lesson: 'cacheWorkbench.lesson',
  },
  panels: {
    /** The editor-area webview panel (lesson, workbench, comparison, knowledge check). */
    workbench: 'cacheWorkbench.workbench',
  },
  contextKeys: {
    /** True once the sidebar lesson view has been shown and resolved. */
    lessonViewResolved: 'cacheWorkbench.lessonViewResolved',
    /** True once a scenario debug session has stopped in this window: completes the walkthrough's "Step through" step. */
    scenarioStepped: 'cacheWorkbench.scenarioStepped',
  },
} as const;

export type CommandName = keyof typeof ids.commands;
export type CommandId = (typeof ids.commands)[CommandName];
