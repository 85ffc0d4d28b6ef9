// Radio groups of VS Code Elements (2.5) as plain data. The group checks the next radio on the arrow keys without any
// `change` event (a radio fires one on a click, and on Space only when it was not checked yet), so the pages read the
// checked radio on the events that do fire (change, keyup, focusin). The group also puts the tab stop on its first
// radio when its radios are slotted, whichever is checked; a page moves it to the checked one. Its radio draws an inner
// checkbox, which the pages give the radio role and the radio's state, again on every click (a click on a radio's text
// toggles that checkbox, a checked radio's too). No DOM types at load time, so it is unit-tested with plain objects.

/** What these helpers use of a `<vscode-radio>`. */
export interface RadioLike {
  checked: boolean;
  value: string;
  tabIndex: number;
}

/** What they use of a `<vscode-radio-group>` (or any element holding the radios). */
export interface RadioContainer {
  querySelectorAll(selector: 'vscode-radio'): ArrayLike<RadioLike & Partial<RadioHostLike>>;
}

/** What the semantics fix uses of the `<input>` a radio draws in its (open) shadow root. */
export interface InnerInputLike {
  checked: boolean;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
}

/** A radio with its shadow root, as syncRadioSemantics reads it. */
export interface RadioHostLike extends RadioLike {
  readonly shadowRoot: { querySelector(selector: 'input'): InnerInputLike | null } | null;
}

/**
 * VS Code Elements 2.5.1 draws each radio around an `<input type="checkbox">` (vscode-elements/elements#612, fixed
 * upstream after that release), so a screen reader announces every option of a radio group as a checkbox; and after a
 * click the inner input stays unchecked while the radio is checked, so the option chosen is announced as not checked.
 * (Its label toggles the input on every click, after the radio's own handler, even on a radio checked already, which
 * fires no `change`: pages call this on `click` too, which the toggled input's click reaches the group with.)
 * This gives each inner input the radio role and the radio's checked state. Returns whether anything changed.
 */
export function syncRadioSemantics(radios: ArrayLike<RadioHostLike>): boolean {
  let changed = false;
  for (let i = 0; i < radios.length; i++) {
    const radio = radios[i];
    const input = radio?.shadowRoot?.querySelector('input');
    if (!radio || !input) continue;
    if (input.getAttribute('role') !== 'radio') {
      input.setAttribute('role', 'radio');
      changed = true;
    }
    if (input.checked !== radio.checked) {
      input.checked = radio.checked;
      changed = true;
    }
  }
  return changed;
}

/** Value of the checked radio, or undefined when none is. */
export function checkedValue(radios: ArrayLike<RadioLike>): string | undefined {
  for (let i = 0; i < radios.length; i++) {
    const r = radios[i];
    if (r?.checked) return r.value;
  }
  return undefined;
}

/**
 * Roving tab stop: the checked radio gets tabindex 0 and every other one -1; with none checked, the first one holds
 * it. Returns whether a tabindex changed.
 */
export function setTabStop(radios: ArrayLike<RadioLike>): boolean {
  let stop = 0;
  for (let i = 0; i < radios.length; i++) {
    if (radios[i]?.checked) {
      stop = i;
      break;
    }
  }
  let changed = false;
  for (let i = 0; i < radios.length; i++) {
    const r = radios[i];
    if (!r) continue;
    const want = i === stop ? 0 : -1;
    if (r.tabIndex !== want) {
      r.tabIndex = want;
      changed = true;
    }
  }
  return changed;
}

/**
 * Puts the tab stop of the radios in `group` on the checked one, now and once more after the group has slotted its
 * radios (it moves the stop to the first radio then, in a microtask after the page rendered them); gives their inner
 * inputs the radio's role and state at the same moments (see syncRadioSemantics).
 */
export function keepTabStopOnChecked(group: RadioContainer | null, later: (fn: () => void) => void = (fn) => setTimeout(fn, 0)): void {
  if (!group) return;
  const apply = (): void => {
    const radios = group.querySelectorAll('vscode-radio');
    setTabStop(radios);
    syncRadioSemantics(withShadow(radios));
  };
  apply();
  later(apply);
}

/** The radios that have a shadow root property (a rendered `<vscode-radio>`; plain test objects may not). */
function withShadow(radios: ArrayLike<RadioLike & Partial<RadioHostLike>>): RadioHostLike[] {
  const out: RadioHostLike[] = [];
  for (let i = 0; i < radios.length; i++) {
    const r = radios[i];
    if (r && r.shadowRoot !== undefined) out.push(r as RadioHostLike);
  }
  return out;
}
