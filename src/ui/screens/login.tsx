import { Box } from 'ink';
import { Text } from '../components/text.js';
import type { Actor } from '../../core/staff/permissions.js';
import { useLogin } from '../hooks/use-login.js';
import { Screen } from '../components/screen.js';
import { TextField } from '../components/text-field.js';
import type { NoticeData } from '../components/notice.js';
import { Gap } from '../components/gap.js';

export function LoginScreen({ login, onLoggedIn, notice: initialNotice = null }: { login(name: string, pin: string): Promise<Actor>; onLoggedIn(actor: Actor): void; notice?: NoticeData | null }) {
  const { state, notice, busy } = useLogin({ login, onLoggedIn, notice: initialNotice });

  return (
    <Screen title="log in" actor={null} legend="login" notice={notice}>
      <Box flexDirection="column" paddingTop={1} paddingLeft={2}>
        <Text bold>Staff are set up on this box office: log in with your name and PIN.</Text>
        <Gap />
        <TextField label="Name" value={state.name} focused={state.field === 'name'} />
        <TextField label="PIN" value={state.pin} focused={state.field === 'pin'} mask />
        <Gap />
        {busy ? <Text dimColor>Checking…</Text> : null}
      </Box>
    </Screen>
  );
}
