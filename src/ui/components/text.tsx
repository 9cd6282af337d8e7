// Ink's Text, for every screen and component: strings among its children are made printable
// first (src/core/text.ts), so a control character or bidi control in a stored name, a file or
// an error shows as a visible escape such as `\x1b` or `\u202e` and the terminal never obeys it
// (an event name could otherwise retitle the window or clear the screen). Newlines stay: a
// notice or the receipt's QR code spans lines. Colours come from props, never from the text.
import { Fragment, isValidElement, type ComponentProps, type ReactElement, type ReactNode } from 'react';
import { Text as InkText } from 'ink';
import { printable } from '../../core/text.js';

function printableChildren(children: ReactNode): ReactNode {
  if (typeof children === 'string') return printable(children);
  if (Array.isArray(children)) return children.map(printableChildren);
  // A fragment's strings are this Text's own; a nested Text makes its own printable.
  if (isValidElement(children) && children.type === Fragment) {
    const fragment = children as ReactElement<{ children?: ReactNode }>;
    return <Fragment key={fragment.key}>{printableChildren(fragment.props.children)}</Fragment>;
  }
  return children;
}

export function Text({ children, ...props }: ComponentProps<typeof InkText>) {
  return <InkText {...props}>{printableChildren(children)}</InkText>;
}
